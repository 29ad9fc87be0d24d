"""The pylive gallery: small, readable demo apps, each one module.

Run it with ``python -m gallery [--port 8000]`` and open http://127.0.0.1:8000. Every demo is
an ordinary LiveView; read the modules in this package in the order the index lists them.
"""
