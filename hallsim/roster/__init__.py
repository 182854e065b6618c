"""The week roster (轮休): who works which shift on which day, drafted as one MILP."""
