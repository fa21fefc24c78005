#ifndef GANNET_CMILTER_SHIM_H
#define GANNET_CMILTER_SHIM_H

#include <stdbool.h>
#include <sys/socket.h>
#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

/* SMFI_VERSION is chosen by preprocessor conditionals that Swift cannot evaluate. */
static inline int gannet_smfi_version(void) { return SMFI_VERSION; }

#endif
