@rongcloud @spec-000 @under-test-A
Feature: RongCloud IM automatic reconnection (Web and Electron SDK)
  Transcribes spec 000 (000_d2c2ed7618df35d7.txt), "Reconnection Mechanism and Reconnection
  Kick Strategy": the sections "Automatic Reconnection Mechanism", "Reconnection Interval" and
  "Manually Exiting the Reconnection Mechanism".

  These rules are the same on Web and Electron: a device that "runs the SDK" runs it on
  Electron when the adapter under test has that platform, else on Web (every device of a
  scenario on the same platform type).

  How the SDK notices a lost connection is not documented; the suite's wire protocol gives it
  a heartbeat (interval and answer timeout announced by the service) and a long-poll that the
  virtual network resets when a link goes down (docs/wire-protocol.md). On RongCloud's own
  protocol (the vendor's Web SDK) the service announces no heartbeat: the client must notice a
  silent network within the profile's rongcloud.silent_network_detection (default 45 s, as
  the vendor's SDK: a reading, the page gives no figure).

  Reading (requirement rc-no-duplicate-status, profile rongcloud.duplicate_status_is_violation,
  default true): a connection-status callback reports a change; the same status twice in a row
  (SUSPEND, SUSPEND) is a duplicate callback, not a change, and is non-conformant. The page does
  not say so; with the profile set to false those scenarios are not applicable.

  "attempts to reconnect at an interval of 5 seconds" fixes the gap between consecutive
  attempts. The delay before the first attempt is not documented; the suite only requires it to
  come within one interval of the loss.

  Reading (requirement rc-interval-measure, profile rongcloud.interval_from, default failure, as
  the vendor's Web SDK: docs/findings/rongcloud-web-sdk.md):
  the page does not say from when the 5 seconds count. "start": from the start of the previous
  attempt, so attempts are 5 s apart whatever happens to them. "failure": from the instant the
  previous attempt failed; the vendor's Web SDK does this (measured on RongIMLib 5.38: on a
  hanging network each attempt times out after 5 s and the next follows 5 s later, 10 s apart).
  On a refusing network an attempt fails the instant it starts, so both readings give the same
  schedule there; the rule that tells them apart has an attempt that hangs and is then reset.

  Tolerance: schedules are checked to 1 ms (the virtual clock is exact to 1 µs; the page gives
  5 s with no "about").

  Background:
    Given Zhangsan holds a valid token

  @sec-000-auto-reconnect
  Rule: Once connected, the SDK re-establishes a connection lost for network reasons by itself

    @rc-auto-reconnect
    Scenario: The connection comes back after an outage with no call from the app
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A goes down
      And 30 seconds pass
      And the network of device A comes back
      And 5 seconds pass
      Then device A is connected
      And device A reported SUSPEND before it was connected again

  @sec-000-auto-reconnect
  Rule: (reading) A status callback reports a change: never the same status twice in a row

    @rc-no-duplicate-status
    Scenario: A lost connection is reported once, and its recovery once
      Given the profile reads the same status twice in a row as a violation
      And device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A goes down
      And 30 seconds pass
      And the network of device A comes back
      And 5 seconds pass
      Then device A is connected
      And device A never reported the same status twice in a row

  @sec-000-auto-reconnect
  Rule: A heartbeat timeout on a poor or absent network triggers reconnection

    @rc-heartbeat
    Scenario: An unresponsive network is detected through the heartbeat
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A becomes unresponsive
      And 60 seconds pass
      Then device A reported SUSPEND within one heartbeat interval and timeout of the network becoming unresponsive
      And device A has attempted to reconnect

  @sec-000-auto-reconnect
  Rule: The SDK keeps trying to reconnect until it succeeds

    @rc-until-success
    Scenario: Reconnection goes on for as long as a 30-minute outage lasts
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A goes down
      And 30 minutes pass
      Then device A attempted to reconnect in every 5-second window of the outage
      When the network of device A comes back
      And 5 seconds pass
      Then device A is connected

  @sec-000-interval
  Rule: Reconnection attempts are 5 seconds apart

    @rc-interval
    Scenario: While the network is down, the client retries every 5 seconds
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A goes down
      And 60 seconds pass
      Then device A made its first reconnection attempt within 5 seconds of losing the connection
      And device A's reconnection attempts were 5 seconds apart
      When the network of device A comes back
      And 5 seconds pass
      Then device A is connected

  @sec-000-interval
  Rule: (reading) The 5 seconds count from the previous attempt's start, or from its failure, as the profile reads it

    @rc-interval-measure
    Scenario: An attempt that hangs and is then reset is followed by the next one 5 seconds after its start or its failure
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A becomes unresponsive
      And device A's reconnection attempt has been hanging for 3 seconds
      And the network of device A goes down
      And 30 seconds pass
      Then device A's next attempt began 5 seconds after the hanging attempt, counted as the profile reads the interval
      And device A's reconnection attempts after that were 5 seconds apart

  @sec-000-auto-reconnect
  Rule: A connection error callback ends the reconnection mechanism

    @rc-exit-on-error
    Scenario Outline: An answer of <error> during reconnection ends it
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A goes down
      And the service <change>
      And the network of device A comes back
      And 10 minutes pass
      Then device A reported DISCONNECT with code <code>
      And device A made no connection attempt after reporting DISCONNECT

      Examples:
        | error           | change                      | code  |
        | token incorrect | revokes Zhangsan's token    | 31004 |
        | user blocked    | blocks Zhangsan             | 31009 |
        | token expired   | expires Zhangsan's token    | 31020 |

    @rc-exit-on-error
    Scenario: Being kicked by another device ends the mechanism
      Given device A of Zhangsan runs the SDK
      And device B of Zhangsan runs the SDK
      And device A is connected
      When device B connects
      And 10 minutes pass
      Then device A reported DISCONNECT with code 31010
      And device A made no connection attempt after reporting DISCONNECT

  @sec-000-manual-exit
  Rule: After the app disconnects, the SDK never attempts to reconnect

    @rc-manual-disconnect
    Scenario: A client disconnected by the app stays offline through later outages
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the app disconnects device A
      And the network of device A goes down
      And 1 minute passes
      And the network of device A comes back
      And 60 minutes pass
      Then device A made no connection attempt after the app disconnected it

    @rc-manual-disconnect
    Scenario: Disconnecting during reconnection stops the attempts
      Given device A of Zhangsan runs the SDK
      And device A is connected
      When the network of device A goes down
      And 12 seconds pass
      And the app disconnects device A
      And the network of device A comes back
      And 60 minutes pass
      Then device A made no connection attempt after the app disconnected it
