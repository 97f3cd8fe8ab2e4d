#!/usr/bin/env python3
"""Keyless stock tracker.

Keeps stock levels in memory, serves them on a localhost HTTP endpoint, and logs a signed stock report at a
fixed interval. The signing key is a Key Vault secret read with the VM's managed identity: the VM holds no
credential. A token comes from the instance metadata service (IMDS), the secret from Key Vault's data plane.
Neither is ever written to disk or to the log.

Configuration (non-secret, from the systemd unit's Environment= lines):
  KEYLESS_VAULT_NAME        vault that holds the signing key
  KEYLESS_SECRET_NAME       name of the secret
  KEYLESS_CLIENT_ID         client ID of the user-assigned identity to use; empty for the system-assigned one
  KEYLESS_HEALTH_PORT       localhost port of the HTTP endpoint (default 8080)
  KEYLESS_REPORT_INTERVAL   seconds between stock reports (default 300)
  KEYLESS_SECRET_REFRESH    seconds between secret re-reads, to pick up rotations (default 3600)
  KEYLESS_STOCK_ITEMS       initial stock as sku=count pairs, such as "widget=12,gadget=4"

Test overrides (loopback addresses only, so a token never leaves the machine in clear text):
  KEYLESS_IMDS_ENDPOINT     token endpoint (default http://169.254.169.254/metadata/identity/oauth2/token)
  KEYLESS_VAULT_URL         vault base URL (default https://<vault>.vault.azure.net)
  KEYLESS_RETRY_BASE        first retry delay in seconds (default 5)

Usage: stock-tracker.py [--once] [--attempts N]
  --once        read the secret, log one signed report, exit (0 on success)
  --attempts N  give up after N failed reads (default: 6 with --once, unlimited otherwise)
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import random
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

IMDS_TOKEN_ENDPOINT = "http://169.254.169.254/metadata/identity/oauth2/token"
IMDS_API_VERSION = "2018-02-01"
VAULT_RESOURCE = "https://vault.azure.net"
VAULT_API_VERSION = "7.4"
MAX_RETRY_DELAY = 300.0
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

VAULT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$")
SECRET_NAME = re.compile(r"^[0-9A-Za-z-]{1,127}$")
CLIENT_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def log(message):
    print("stock-tracker: " + message, flush=True)


class ConfigError(Exception):
    pass


class FetchError(Exception):
    """A failed request, described without headers or bodies that could carry a token or a secret."""


def _env_int(name, default, minimum):
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise ConfigError("%s must be a whole number >= %d; got %r" % (name, minimum, raw))
    return int(raw)


def _require_loopback_override(name, url):
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or parsed.hostname not in LOOPBACK_HOSTS:
        raise ConfigError("%s may only point at a loopback address (for tests); got %r" % (name, url))


class Config(object):
    def __init__(self, env):
        self.vault_name = env.get("KEYLESS_VAULT_NAME", "").strip()
        self.secret_name = env.get("KEYLESS_SECRET_NAME", "").strip()
        self.client_id = env.get("KEYLESS_CLIENT_ID", "").strip()
        if not VAULT_NAME.match(self.vault_name):
            raise ConfigError("KEYLESS_VAULT_NAME must be a Key Vault name (3-24 letters, digits, '-'); got %r" % self.vault_name)
        if not SECRET_NAME.match(self.secret_name):
            raise ConfigError("KEYLESS_SECRET_NAME must be a secret name (letters, digits, '-'); got %r" % self.secret_name)
        if self.client_id and not CLIENT_ID.match(self.client_id):
            raise ConfigError("KEYLESS_CLIENT_ID must be a GUID (the identity's client ID); got %r" % self.client_id)
        self.health_port = _env_int("KEYLESS_HEALTH_PORT", 8080, 1)
        self.report_interval = _env_int("KEYLESS_REPORT_INTERVAL", 300, 1)
        self.secret_refresh = _env_int("KEYLESS_SECRET_REFRESH", 3600, 60)
        retry_base = env.get("KEYLESS_RETRY_BASE", "").strip()
        try:
            self.retry_base = float(retry_base) if retry_base else 5.0
        except ValueError:
            raise ConfigError("KEYLESS_RETRY_BASE must be a number of seconds; got %r" % retry_base)
        self.imds_endpoint = env.get("KEYLESS_IMDS_ENDPOINT", "").strip() or IMDS_TOKEN_ENDPOINT
        if self.imds_endpoint != IMDS_TOKEN_ENDPOINT:
            _require_loopback_override("KEYLESS_IMDS_ENDPOINT", self.imds_endpoint)
        self.vault_url = (env.get("KEYLESS_VAULT_URL", "").strip() or "https://%s.vault.azure.net" % self.vault_name).rstrip("/")
        if not self.vault_url.startswith("https://"):
            _require_loopback_override("KEYLESS_VAULT_URL", self.vault_url)
        self.stock = parse_stock(env.get("KEYLESS_STOCK_ITEMS", "widget=12,gadget=4"))


def parse_stock(text):
    stock = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        sku, _, count = pair.partition("=")
        if not SKU.match(sku.strip()) or not count.strip().isdigit():
            raise ConfigError("KEYLESS_STOCK_ITEMS entries must look like sku=count; got %r" % pair)
        stock[sku.strip()] = int(count.strip())
    return stock


def _describe_http_error(error):
    """Status plus the service's error code; the body's message and all headers are left out."""
    code = ""
    try:
        body = json.loads(error.read().decode("utf-8", "replace") or "{}")
        err = body.get("error") or {}
        if isinstance(err, dict):
            inner = err.get("innererror") or {}
            code = inner.get("code") if isinstance(inner, dict) and inner.get("code") else err.get("code", "")
        elif isinstance(err, str):
            code = err
    except Exception:
        code = ""
    return "HTTP %d%s" % (error.code, (" " + str(code)) if code else "")


class VaultClient(object):
    def __init__(self, config):
        self.config = config
        self._token = None
        self._token_expires = 0.0
        # IMDS is link-local: never route it through a proxy configured for the rest of the machine.
        self._imds = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._web = urllib.request.build_opener()

    def _token_url(self):
        params = [("api-version", IMDS_API_VERSION), ("resource", VAULT_RESOURCE)]
        if self.config.client_id:
            # With a user-assigned identity, name it: IMDS refuses to guess when several identities are attached.
            params.append(("client_id", self.config.client_id))
        return self.config.imds_endpoint + "?" + urllib.parse.urlencode(params)

    def token(self):
        if self._token and time.time() < self._token_expires - 300:
            return self._token
        request = urllib.request.Request(self._token_url(), headers={"Metadata": "true"})
        try:
            with self._imds.open(request, timeout=10) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise FetchError("managed identity token: " + _describe_http_error(error))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise FetchError("managed identity token: %s" % type(error).__name__)
        token = payload.get("access_token")
        if not token:
            raise FetchError("managed identity token: response had no access_token")
        try:
            expires = float(payload.get("expires_on", 0))
        except (TypeError, ValueError):
            expires = 0.0
        self._token = token
        self._token_expires = expires if expires > 0 else time.time() + 600
        return token

    def secret(self):
        """Returns (value, version) of the configured secret."""
        url = "%s/secrets/%s?api-version=%s" % (self.config.vault_url, urllib.parse.quote(self.config.secret_name), VAULT_API_VERSION)
        request = urllib.request.Request(url, headers={"Authorization": "Bearer " + self.token()})
        try:
            with self._web.open(request, timeout=15) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            if error.code == 401:
                # A token issued before the identity's grants existed can be refused; fetch a fresh one next time.
                self._token = None
            raise FetchError("Key Vault secret %s: %s" % (self.config.secret_name, _describe_http_error(error)))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise FetchError("Key Vault secret %s: %s" % (self.config.secret_name, type(error).__name__))
        value = payload.get("value")
        if not isinstance(value, str) or value == "":
            raise FetchError("Key Vault secret %s: response had no value" % self.config.secret_name)
        version = str(payload.get("id", "")).rstrip("/").rsplit("/", 1)[-1]
        return value, version


def read_secret_with_retry(client, attempts, retry_base):
    """Role assignments take minutes to reach Key Vault's data plane, so early 403s are expected: back off and retry."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return client.secret()
        except FetchError as error:
            if attempts is not None and attempt >= attempts:
                raise
            delay = min(MAX_RETRY_DELAY, retry_base * (2 ** (attempt - 1))) * random.uniform(0.5, 1.0)
            log("%s; retry %d in %.1fs" % (error, attempt, delay))
            time.sleep(delay)


class Inventory(object):
    def __init__(self, stock):
        self._lock = threading.Lock()
        self._stock = dict(stock)

    def snapshot(self):
        with self._lock:
            return dict(self._stock)

    def adjust(self, sku, delta):
        with self._lock:
            current = self._stock.get(sku, 0)
            if current + delta < 0:
                raise ValueError("stock of %s cannot go below zero (have %d)" % (sku, current))
            self._stock[sku] = current + delta
            return self._stock[sku]


def signed_report(stock, key):
    """A stock report with an HMAC-SHA256 signature, so that whoever receives it can check it came from here."""
    body = json.dumps({"items": stock, "total": sum(stock.values()), "at": int(time.time())}, sort_keys=True, separators=(",", ":"))
    signature = hmac.new(key.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).hexdigest()
    return body, signature


class SigningKey(object):
    def __init__(self):
        self._lock = threading.Lock()
        self._value = None
        self.version = ""

    def set(self, value, version):
        with self._lock:
            self._value = value
            self.version = version

    def get(self):
        with self._lock:
            return self._value


def make_handler(inventory, key):
    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, status, payload):
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/healthz":
                ready = key.get() is not None
                self._send(200 if ready else 503, {"status": "ok" if ready else "waiting-for-secret", "secretVersion": key.version})
            elif self.path == "/stock":
                stock = inventory.snapshot()
                self._send(200, {"items": stock, "total": sum(stock.values())})
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self):
            match = re.match(r"^/stock/([A-Za-z0-9][A-Za-z0-9._-]{0,63})$", self.path)
            if not match:
                self._send(404, {"error": "not found"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                delta = json.loads(self.rfile.read(min(length, 4096)).decode("utf-8")).get("delta")
                if not isinstance(delta, int) or isinstance(delta, bool):
                    raise ValueError("body must be {\"delta\": <whole number>}")
                level = inventory.adjust(match.group(1), delta)
            except ValueError as error:
                self._send(400, {"error": str(error)})
                return
            self._send(200, {"sku": match.group(1), "level": level})

        def log_message(self, format, *args):
            log("http " + (format % args))

    return Handler


def run_service(config, client, key, inventory, attempts):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", config.health_port), make_handler(inventory, key))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log("serving stock levels on http://127.0.0.1:%d" % config.health_port)
    value, version = read_secret_with_retry(client, attempts, config.retry_base)
    key.set(value, version)
    log("signing key %s loaded (version %s)" % (config.secret_name, version))
    next_refresh = time.time() + config.secret_refresh
    while True:
        time.sleep(config.report_interval)
        if time.time() >= next_refresh:
            try:
                value, version = client.secret()
                key.set(value, version)
                log("signing key %s refreshed (version %s)" % (config.secret_name, version))
            except FetchError as error:
                log("%s; keeping the current signing key" % error)
            next_refresh = time.time() + config.secret_refresh
        stock = inventory.snapshot()
        body, signature = signed_report(stock, key.get())
        log("report %s signature=%s" % (body, signature))


def main(argv):
    parser = argparse.ArgumentParser(description="Keyless stock tracker")
    parser.add_argument("--once", action="store_true", help="read the secret, log one signed report, exit")
    parser.add_argument("--attempts", type=int, default=None, help="give up after this many failed reads")
    options = parser.parse_args(argv)
    if options.attempts is not None and options.attempts < 1:
        parser.error("--attempts must be at least 1")
    try:
        config = Config(os.environ)
    except ConfigError as error:
        log("configuration error: %s" % error)
        return 2
    client = VaultClient(config)
    inventory = Inventory(config.stock)
    if options.once:
        try:
            value, version = read_secret_with_retry(client, options.attempts or 6, config.retry_base)
        except FetchError as error:
            log("giving up: %s" % error)
            return 1
        log("signing key %s loaded (version %s)" % (config.secret_name, version))
        body, signature = signed_report(inventory.snapshot(), value)
        log("report %s signature=%s" % (body, signature))
        return 0
    try:
        run_service(config, client, SigningKey(), inventory, options.attempts)
    except FetchError as error:
        log("giving up: %s" % error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
