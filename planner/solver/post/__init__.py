"""After a solve: vacancies repaired, dagdelen placed across cluster borders."""
