"""The inputs stage: reading what the user gives — profile files (YAML, JSON), staff files
(.xlsx, .csv), batch registries — into validated models of :mod:`packbuilder.model`, every
problem named by field path or cell; and the empty registry workbook to fill in Excel.
"""
