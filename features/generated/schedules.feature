@generated @under-test-A
Feature: Generated fault schedules
  Sequences nobody wrote down (features/generated.py): link changes per device (down,
  unresponsive, flaky, a network switch that resets connections while the link stays up), time
  passing from half a second to an hour, app calls and service events, drawn by a Hypothesis
  state machine per vendor and written with the suite's own sentences. After every step the
  vendor's state model (fixtures/oracles) judges the whole timeline. A failure is shrunk to a
  minimal run and reported as a Gherkin scenario that pastes into a feature file of the vendor.

  Run with -m generated (CI's fixed, derandomized budget) or --generated-examples=N (N random
  runs; the seed is printed and --generated-seed replays it).

  @rongcloud @spec-000
  Scenario: RongCloud clients live through generated fault schedules
    Then every generated fault schedule passes the state model

  @zim @spec-001
  Scenario: ZIM clients live through generated fault schedules
    Then every generated fault schedule passes the state model

  @express @spec-003
  Scenario: Express engines live through generated fault schedules
    Then every generated fault schedule passes the state model
