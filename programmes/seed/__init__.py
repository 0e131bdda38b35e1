"""Published reports transcribed as data, and the service that loads them into the database."""
