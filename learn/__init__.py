"""Training mode: learning paths over the playbook, knowledge checks grounded in it, spaced review and progress."""
