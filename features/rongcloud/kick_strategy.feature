@rongcloud @spec-000
Feature: RongCloud IM reconnection kick strategy (Electron only)
  Transcribes spec 000, sections "Reconnection Kick Strategy (Electron Only)" and "Modifying
  the Reconnection Kick Strategy for App Users".

  Interpretation 1 (the docs contradict themselves): "Once the connection is successfully
  established, the reconnection mechanism will take effect" versus the kick-strategy story, in
  which a first login that failed on an unstable network starts the mechanism. The suite reads
  the story as normative or not. Reading "true": a first connect that fails for network reasons
  resolves with its failing code AND starts reconnection. Reading "false": it is not retried,
  which is what the vendor's Web SDK does (docs/findings/rongcloud-web-sdk.md: no attempt in 20
  minutes). This is the profile parameter rongcloud.retry_after_failed_first_connect (spec
  FACTS, ambiguity 1), default false, as the vendor's SDK; the scenarios that depend on the
  story's reading (tagged @rc-default-kick-story) are not applicable under it and are judged
  with --profile rongcloud.retry_after_failed_first_connect=true.

  The page says the strategy decides what happens "when it successfully reconnects", and that
  by default a login on a new desktop kicks the one logged in before. So the app's own connect
  on a second desktop is not a reconnection: it kicks the other desktop whatever
  reconnectKickEnable says (requirement rc-kick-app-connect). The page allows no other reading:
  the parameter is described only for reconnection. FACTS: reconnectKickEnable defaults to
  false, so a connect without it keeps the default strategy (rc-kick-default).

  Interpretation 2: "desktop device" means a device of the same platform type (FACTS: 31023
  "another same-type client is online"). A Web client cannot set the strategy, so it keeps the
  default one: a reconnecting Web client kicks the other Web client.

  Background:
    Given Zhangsan holds a valid token

  @sec-000-kick-strategy
  Rule: One desktop device per account: a new desktop login kicks the device logged in before

    @rc-single-desktop @under-test-A
    Scenario: Logging in on desktop B kicks desktop A, which stays offline
      Given device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And device A is connected
      When device B connects
      And 10 minutes pass
      Then device B is connected
      And device A reported DISCONNECT with code 31010

  @sec-000-kick-strategy
  Rule: The strategy applies when the SDK reconnects; an app's connect on a second desktop follows the default rule

    @rc-kick-app-connect @under-test-B
    Scenario: Device B's own connect with reconnectKickEnable true still kicks desktop A
      Given the console switch "Allow SDK to modify reconnection kick strategy" is on
      And device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And device A is connected
      When device B connects with reconnectKickEnable true
      And 10 minutes pass
      Then device B is connected
      And device A reported DISCONNECT with code 31010

  @sec-000-kick-strategy
  Rule: Default strategy: the device that reconnects last kicks the other (the documented story)

    @rc-default-kick-story @under-test-A
    Scenario: Device A's first login fails, B logs in, A's network recovers and B is kicked
      Given the profile reads a failed first login as starting reconnection
      And device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And the network of device A is down
      When device A connects
      Then the connect of device A failed for network reasons
      When 30 seconds pass
      Then device A has attempted to reconnect
      When device B connects
      Then device B is connected
      When the network of device A comes back
      And 5 seconds pass
      Then device A is connected
      And device B reported DISCONNECT with code 31010

  @sec-000-modify-kick
  Rule: reconnectKickEnable decides whether a reconnecting device kicks the online one

    @rc-kick-enable @under-test-A
    Scenario Outline: With the console switch on, reconnectKickEnable <enable> leaves device <online> online
      Given the console switch "Allow SDK to modify reconnection kick strategy" is on
      And device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And device A is connected with reconnectKickEnable <enable>
      When the network of device A goes down
      And device B connects
      And the network of device A comes back
      And 10 minutes pass
      Then device <online> is connected
      And device <offline> reported DISCONNECT with code <code>
      And device <offline> made no connection attempt after reporting DISCONNECT

      Examples:
        | enable | online | offline | code  |
        | true   | B      | A       | 31023 |
        | false  | A      | B       | 31010 |

    @rc-kick-enable @rc-default-kick-story @under-test-A
    Scenario: In the documented story, reconnectKickEnable true keeps device B logged in
      Given the profile reads a failed first login as starting reconnection
      And the console switch "Allow SDK to modify reconnection kick strategy" is on
      And device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And the network of device A is down
      When device A connects with reconnectKickEnable true
      And device B connects
      And the network of device A comes back
      And 10 minutes pass
      Then device B is connected
      And device A reported DISCONNECT with code 31023

  @sec-000-modify-kick
  Rule: reconnectKickEnable omitted is the default (false), also with the console switch on

    @rc-kick-default @under-test-A
    Scenario: With the console switch on and no reconnectKickEnable, the reconnecting device kicks the online one
      Given the console switch "Allow SDK to modify reconnection kick strategy" is on
      And device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And device A is connected
      When the network of device A goes down
      And device B connects
      And the network of device A comes back
      And 10 minutes pass
      Then device A is connected
      And device B reported DISCONNECT with code 31010
      And device B made no connection attempt after reporting DISCONNECT

  @sec-000-modify-kick
  Rule: Without the console switch, reconnectKickEnable has no effect

    @rc-console-switch @under-test-A
    Scenario Outline: With the console switch off, reconnectKickEnable <enable> still kicks device B
      Given the console switch "Allow SDK to modify reconnection kick strategy" is off
      And device A of Zhangsan runs the Electron SDK
      And device B of Zhangsan runs the Electron SDK
      And device A is connected with reconnectKickEnable <enable>
      When the network of device A goes down
      And device B connects
      And the network of device A comes back
      And 10 minutes pass
      Then device A is connected
      And device B reported DISCONNECT with code 31010

      Examples:
        | enable |
        | true   |
        | false  |

  @sec-000-kick-strategy
  Rule: Only Electron can set the strategy; a Web client keeps the default one

    @rc-electron-only @under-test-A
    Scenario Outline: A reconnecting Web client with reconnectKickEnable <enable> kicks the other Web client
      Given the console switch "Allow SDK to modify reconnection kick strategy" is on
      And device A of Zhangsan runs the Web SDK
      And device B of Zhangsan runs the Web SDK
      And device A is connected with reconnectKickEnable <enable>
      When the network of device A goes down
      And device B connects
      And the network of device A comes back
      And 10 minutes pass
      Then device A is connected
      And device B reported DISCONNECT with code 31010

      Examples:
        | enable |
        | true   |
        | false  |
