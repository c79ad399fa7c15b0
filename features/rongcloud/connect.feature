@rongcloud @spec-000 @under-test-A
Feature: RongCloud IM connect result
  Transcribes the "Example Call" of spec 000, section "Modifying the Reconnection Kick Strategy
  for App Users": connect resolves to a result whose code is ErrorCode.SUCCESS and whose data
  carries the connected user id; otherwise the code says why the connection failed. Codes are
  RongIMLib's ErrorCode values (spec FACTS).

  Background:
    Given Zhangsan holds a valid token
    And device A of Zhangsan runs the SDK

  @sec-000-modify-kick @rc-connect-result
  Rule: connect resolves with SUCCESS and the user id, or with the failing code

    Scenario: A successful connect resolves with code 0 and the connected user id
      When device A connects
      Then the connect of device A resolved with code 0 and user id Zhangsan
      And device A is connected

    Scenario Outline: A refused connect resolves with <error> and is not retried
      Given the service <change>
      When device A connects
      And 1 minute passes
      Then the connect of device A resolved with code <code>
      And device A made no connection attempt after its first

      Examples:
        | error           | change                      | code  |
        | token incorrect | revokes Zhangsan's token    | 31004 |
        | user blocked    | blocks Zhangsan             | 31009 |
        | token expired   | expires Zhangsan's token    | 31020 |
