"""The API (``/api/v1``, docs/api.md): remarks in from anything that never reaches Slack
(remarks.py, accept.py, filer.py), and read back out (read_remarks.py, read_lists.py,
cursor.py, params.py); answers.py holds the token check and error shape they share."""
