"""Website integrity watch: uptime, TLS and domain expiry, defacement, injected links, cloaking."""
