"""What the calls tests say and the demo records it is about."""

DICTATION = (
    "Just left Oceanic Airlines. They need a proposal for 200 seats before Friday. Grace Ivanova is the decision maker."
)
SALES_CALL = (
    "Thanks for taking the call today. We are also looking at Northwind CRM, but the price is a concern. "
    "The budget for this project is approved, around fifty thousand dollars. "
    "I will send the revised pricing on Friday. "
    "We need to go live before the end of the quarter."
)
OCEANIC_ACCOUNT, OCEANIC_DEAL, GRACE_IVANOVA = 15, 29, 46
