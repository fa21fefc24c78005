# Shared by the benchmark scripts (sourced, not run; they set ROOT first): the release
# build, a work directory, Gannet started on $WORK/gannet.toml, free ports, delivery counts,
# medians and the daemon's metrics address.

# Builds the release binary and sets GANNET.
bench_build() {
    swift build -c release --package-path "$ROOT" --product gannet >&2
    GANNET=$(swift build -c release --package-path "$ROOT" --show-bin-path)/gannet
}

# A fresh work directory under /tmp named after $1, readable by Postfix's delivery agent;
# sets WORK.
bench_work() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 0755 "$WORK"
}

# Starts Gannet on $WORK/gannet.toml (socket, state and log in $WORK), sets DAEMON and
# returns once the socket listens; fails with the daemon's log if it does not within 10 s.
bench_start_gannet() {
    "$GANNET" serve --config "$WORK/gannet.toml" --socket "unix:$WORK/milter.sock" --state-dir "$WORK/state" 2>"$WORK/gannet.log" &
    DAEMON=$!
    for _ in $(seq 100); do [[ -S $WORK/milter.sock ]] && return; sleep 0.1; done
    cat "$WORK/gannet.log" >&2
    exit 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Messages delivered to the private Postfix instance in directory $1.
delivered() { { find "$1/mail/inbox/new" -type f 2>/dev/null || true; } | wc -l; }

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.1f}")' "$@"; }

# The metrics port from the daemon's start-up log line.
metrics_port() { grep -o 'address=127.0.0.1:[0-9]*' "$WORK/gannet.log" | head -1 | cut -d: -f2; }
