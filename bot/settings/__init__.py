"""Settings groups that live beside bot.config (which reads them from the environment):
outbound webhooks (hooks) and the CRM sync (crm)."""
