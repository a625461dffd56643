#!/usr/bin/env bash
# Runs a command under `strace -f -e trace=network` and fails if it (or any
# child) connects or sends to a non-local address. Unix sockets, netlink and
# loopback are local. Usage: .ci/no-network.sh COMMAND [ARGS...]
set -euo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
strace -f -qq -e trace=network -o "$log" "$@"
# Every connect/send* that names a peer, minus the local families/addresses.
remote=$(grep -E '(connect|sendto|sendmsg|sendmmsg)\(' "$log" \
  | grep -vE 'AF_UNIX|AF_LOCAL|AF_NETLINK|inet_addr\("127\.|inet_pton\(AF_INET6, "::1"' \
  | grep -E 'AF_INET|AF_INET6|AF_PACKET|sin_addr|sin6_addr' || true)
calls=$(grep -cE '^[0-9]+ +[a-z_]+\(' "$log" || true)
if [ -n "$remote" ]; then
  echo "network traffic to a non-local address:" >&2
  echo "$remote" >&2
  exit 1
fi
echo "no-network: 0 connections to non-local addresses (${calls} network syscalls in all)" >&2
