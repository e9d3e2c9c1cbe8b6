"""What people read: the progress report, the HTML dashboard and case files, diagrams, exports."""
