#!/bin/sh
# Installs or updates spotify-nowplaying-bot as a systemd service from this checkout. Run as root from anywhere:
#   sudo deploy/install.sh
# Safe to run again: after `git pull`, and after `npm run authorize` (which leaves .env readable by its owner only).
# It builds once here, so the service itself never writes outside data/.
#
# Settings (environment): NOWPLAYING_USER (default nowplaying), UNIT_DIR (default /etc/systemd/system),
# SKIP_NPM_CI=1 (keep node_modules as it is; build only).
set -eu
cd "$(dirname "$0")/.."
dir=$(pwd -P)
user=${NOWPLAYING_USER:-nowplaying}
unit_dir=${UNIT_DIR:-/etc/systemd/system}
say() { printf 'install: %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { say "run me as root (sudo deploy/install.sh)" >&2; exit 1; }
node=$(command -v node) || { say "Node.js is not on PATH" >&2; exit 1; }

if ! id -u "$user" >/dev/null 2>&1; then
  say "creating system user $user"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
fi

if [ "${SKIP_NPM_CI:-}" != 1 ]; then npm ci --no-audit --no-fund; fi
say "building (npm run build)"
npm run build --silent

# data/: the bot's only writable folder. Files an earlier `npm start` left there as another user move over too.
mkdir -p data
chown -R "$user:$user" data
chmod 0700 data

if [ -f .env ]; then
  chgrp "$user" .env
  chmod 0640 .env
  say ".env: readable by group $user"
else
  say "no .env yet: cp .env.example .env, fill it in, run npm run authorize, then run me again" >&2
fi

home_mode=yes
case "$dir/" in /home/* | /root/*) home_mode=read-only ;; esac
mkdir -p "$unit_dir"
sed -e "s|/opt/nowplaying-bot|$dir|g" \
    -e "s|^User=nowplaying\$|User=$user|" -e "s|^Group=nowplaying\$|Group=$user|" \
    -e "s|^ExecStart=/usr/bin/env node |ExecStart=$node |" \
    -e "s|^ProtectHome=yes\$|ProtectHome=$home_mode|" \
    deploy/nowplaying-bot.service > "$unit_dir/nowplaying-bot.service"
say "wrote $unit_dir/nowplaying-bot.service"

if [ -d /run/systemd/system ] && [ -z "${UNIT_DIR:-}" ]; then
  systemctl daemon-reload
  systemctl enable nowplaying-bot.service
  if [ -f .env ]; then systemctl restart nowplaying-bot.service && say "started: journalctl -u nowplaying-bot -f"; fi
else
  say "systemd is not running here (or UNIT_DIR is set): not starting the service"
fi
