"""The running bot: Bolt wiring, the HTTP and Socket Mode doors, the durable inbox and its
worker, the scheduler. It sits on top of the handlers and the domain."""
