"""What a change does to the forms: two revisions compiled and compared figure by figure."""
