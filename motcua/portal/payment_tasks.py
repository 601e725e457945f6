"""Background job of the sandbox gateway: its server-to-server notification, retried like a real one's."""
from huey.contrib.djhuey import db_task


class NotDelivered(Exception):
    pass


@db_task(retries=5, retry_delay=30)
def deliver_sandbox_notification(txn_id: int):
    from motcua.portal import payments
    if not payments.deliver_sandbox_notification(txn_id):
        # Raising makes huey retry, as a gateway retries a notify URL that did not answer 00/02.
        raise NotDelivered(f"sandbox notification {txn_id} not acknowledged")
