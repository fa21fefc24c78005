#ifndef GANNET_CTLS_SHIM_H
#define GANNET_CTLS_SHIM_H

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* Macros in OpenSSL's headers, which Swift cannot import. */
static inline int gannet_tls_require_tls12(SSL_CTX *context) { return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION); }
static inline int gannet_tls_set_server_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }

#endif
