from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """Liveness probe for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
