"""The process registry: a workspace's first contact and starter processes, the rules the
Slack commands apply, and the registry as a YAML file (config as code)."""
