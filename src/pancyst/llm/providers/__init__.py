"""Backends that turn chat messages + a JSON schema into one completion."""
