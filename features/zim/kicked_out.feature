@zim @spec-001 @sec-001-kicked-out @under-test-A
Feature: ZIM account kicked out by another device
  Transcribes the ZIM FAQ (spec 001; 002 and 004 in Chinese), "Scenario 2: Account Kicked Out"
  and its "Handling Method".

  Multi-device login is an app setting at the service, off by default (FACTS). Handling method
  (advice to apps, not checked): tell the user, fall back (for example to the login page), and
  do not reconnect from the app. What it says of the SDK is checked: it does not reconnect.

  Background:
    Given device A of Alice runs the ZIM SDK
    And device B of Alice runs the ZIM SDK

  Rule: With multi-device login off, another device logging in kicks this one out

    @zim-kicked-out
    Scenario: The kicked device reports DISCONNECTED with KICKED_OUT
      Given multi-device login is off
      And device A is logged in as Alice
      When device B logs in as Alice
      Then device A reported connection state DISCONNECTED with event KICKED_OUT
      And device B holds a live session at the service

  Rule: After a kick the SDK does not reconnect by itself

    @zim-no-reconnect-after-kick
    Scenario: A kicked device makes no request for an hour
      Given multi-device login is off
      And device A is logged in as Alice
      When device B logs in as Alice
      And 60 minutes pass
      Then device A made no request after reporting DISCONNECTED
      And device B holds a live session at the service

  Rule: After a kick, other API calls fail with 6000121 (not logged in)

    @zim-not-logged-in
    Scenario Outline: On a kicked device, <api> fails with 6000121
      Given multi-device login is off
      And device A is logged in as Alice
      When device B logs in as Alice
      And the app on device A <call>
      Then the call failed with error 6000121

      Examples:
        | api         | call                     |
        | sendMessage | sends a message to Bob   |

      @needs-rooms
      Examples:
        | api         | call                     |
        | createRoom  | creates room "party"     |
        | joinRoom    | joins room "party"       |
        | enterRoom   | enters room "party"      |
        | leaveRoom   | leaves room "party"      |

      @needs-token-authentication
      Examples:
        | api         | call                     |
        | renewToken  | renews its token         |

  Rule: With multi-device login on, both devices stay connected

    @zim-multi-device @needs-multi-device-login
    Scenario: A second device logging in leaves the first one connected
      Given multi-device login is on
      And device A is logged in as Alice
      When device B logs in as Alice
      And 5 minutes pass
      Then devices A and B both hold a live session at the service
      And device A reported no connection state change since it logged in
