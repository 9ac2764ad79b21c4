"""Tools people compare us with or want us to work with (issue 23, item 2, fifth pass), in
suggestion.lower_text's form: read by the idea cues and by the eleventh pass's shifts."""

TOOLS = (
    r"(?:asana|trello|jira|hubspot|salesforce|zendesk|monday|mondaycom|monday\.com|notion|slack|"
    r"teams|microsoft teams|xero|quickbooks|shopify|stripe|intercom|freshdesk|clickup|airtable|"
    r"basecamp|pipedrive|sage|mailchimp|gmail|outlook|google (?:calendar|sheets|docs|drive|chat)|"
    r"excel|zoho|github|gitlab|dropbox|figma|calendly|docusign|zapier|whatsapp|power bi|tableau|"
    r"netsuite|workday|bamboohr|gusto|square|paypal)"
)
