"""What the tests share: builders of courses, stores and apps, fakes, waits, the command
runner, the test-only question kind. No tests here; test modules import these modules,
never each other."""
