"""What other apps hear from a report, inside the transaction that stores it (apps above `reports` listen).

`report_received`: a report was stored (from the public form, by staff, or through a partner).
`reporter_replied`: the reporter wrote a message through the receipt code.
`message_to_reporter`: staff wrote the reporter a message (read with the receipt code).
"""

from django.dispatch import Signal

report_received = Signal()
reporter_replied = Signal()
message_to_reporter = Signal()
