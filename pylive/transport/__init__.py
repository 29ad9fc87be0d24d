"""Wire transports for the Phoenix socket: frame codec and the WebSocket adapter."""
