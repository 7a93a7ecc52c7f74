"""PostgreSQL as newsroom uses it: Django's backend, with limits on every wait, so that a
database that hangs costs readers a quick 503 page instead of every gunicorn worker.

- Opening a connection: DATABASE_CONNECT_TIMEOUT seconds (libpq's `connect_timeout`, in
  settings; psycopg counts at least 2).
- A statement run for a web request: DATABASE_STATEMENT_TIMEOUT seconds, after which PostgreSQL
  cancels it (QueryCanceled, an OperationalError: the reader gets the 503 page). Management
  commands (migrate, the importers, update_search_index, bench/populate) run without it, since a
  migration cut off half way fails a deploy: the limit goes only on connections opened while a
  request is being served (`newsroom.unavailable.serving_request`).
- An answer: psycopg waits for ever, so a server that stopped answering (hung, or a network that
  swallows packets, which TCP keepalives notice only after minutes) held a worker until gunicorn
  killed it. Here a health check waits DATABASE_CONNECT_TIMEOUT seconds and a request's statement
  its statement timeout plus that much again, then the connection is closed.
- After a connection could not be opened or a server stopped answering, this process leaves the
  database alone for DATABASE_RETRY_PAUSE seconds (the breaker in newsroom/unavailable.py):
  whatever needs the database meanwhile fails at once, which readers see as the 503 page.
"""

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base

from newsroom.unavailable import database_outage, serving_request


class NoAnswer(psycopg.OperationalError):
    """The server did not answer in time (an OperationalError, like a connection refused)."""


class Connection(psycopg.Connection):
    """A psycopg connection that stops waiting for a server that does not answer."""

    # Seconds to wait for each answer from the server; None waits for ever, as psycopg does.
    answer_timeout = None
    # The breaker to trip when the server does not answer.
    outage = None

    def wait(self, gen, *args, timeout=None, **kwargs):
        # psycopg passes a timeout of its own only where it handles the expiry itself.
        if timeout is not None or self.answer_timeout is None:
            return super().wait(gen, *args, timeout=timeout, **kwargs)
        try:
            return super().wait(gen, *args, timeout=self.answer_timeout, **kwargs)
        except psycopg.errors._WaitTimeout:  # Private, but wait()'s documented timeout error.
            # Given up half way through an exchange: the connection cannot be used again.
            self.close()
            error = NoAnswer(f"the database did not answer within {self.answer_timeout:g} s")
            if self.outage is not None:
                self.outage.failed(error)
            raise error from None


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def outage(self):
        return database_outage(self.alias)

    def get_connection_params(self):
        params = super().get_connection_params()
        if "jit" not in params.get("options", ""):
            # The site runs short, indexed queries. PostgreSQL's JIT compiles any plan it costs
            # high, and the planner's costs are rough: it once spent 1.2 s compiling a related-
            # stories query that runs in 11 ms. Set "-c jit=on" in OPTIONS to choose otherwise.
            params["options"] = f"{params.get('options', '')} -c jit=off".strip()
        if serving_request() and settings.DATABASE_STATEMENT_TIMEOUT:
            milliseconds = settings.DATABASE_STATEMENT_TIMEOUT * 1000
            # Sent with the connection request: no extra round trip.
            options = f"{params.get('options', '')} -c statement_timeout={milliseconds}"
            params["options"] = options.strip()
        return params

    def get_new_connection(self, conn_params):
        if not self.outage.may_try():
            raise psycopg.OperationalError(
                f"not retried for {settings.DATABASE_RETRY_PAUSE} s after: {self.outage.error}"
            )
        try:
            connection = super().get_new_connection(conn_params)
        except psycopg.Error as error:
            self.outage.failed(error)
            raise
        self.outage.recovered()
        # Django opens connections with psycopg.connect(), which has no way to ask for a
        # subclass; the instance is the same, only its wait() is bounded.
        connection.__class__ = Connection
        connection.outage = self.outage
        connection.answer_timeout = self.answer_timeout(conn_params)
        return connection

    @staticmethod
    def answer_timeout(conn_params):
        """A statement's limit on the server and a connect timeout more, or None."""
        if "statement_timeout=" not in conn_params.get("options", ""):
            return None
        return settings.DATABASE_STATEMENT_TIMEOUT + settings.DATABASE_CONNECT_TIMEOUT

    def is_usable(self):
        # A health check (SELECT 1) answers at once from a server that works.
        if isinstance(self.connection, Connection):
            usual, self.connection.answer_timeout = (
                self.connection.answer_timeout,
                settings.DATABASE_CONNECT_TIMEOUT,
            )
            try:
                return super().is_usable()
            finally:
                self.connection.answer_timeout = usual
        return super().is_usable()
