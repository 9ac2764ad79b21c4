"""Keeping the customer registry in step with a CRM (HubSpot, Salesforce): the clients that
read companies page by page, and the sync that matches them to customers
(docs/customers.md, "CRM sync")."""
