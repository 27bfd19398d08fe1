"""What other apps hear from a referral, inside the transaction of the step.

`referral_stepped`: step `step` of the referral workflow was taken (send, accept, decline, complete, withdraw).
"""

from django.dispatch import Signal

referral_stepped = Signal()
