"""The pure part of the directory sync: records in, a plan of changes out (no Django)."""
