@express @spec-003 @under-test-A
Feature: ZEGO Express room states and user status notification
  Transcribes the Express FAQ "Does Express SDK support a disconnection and reconnection
  mechanism?" (spec 003, 003_efc6dd0b5f788651.txt), "Room Reconnection" and its "Room State
  Callback" table. Enum names and values, callbacks and error codes: the spec's FACTS, ZEGO
  Express section.

  Interpretation: the page says the failed-logout state follows "failing to call logoutRoom"
  or "switchRoom to internally log out of the current room"; the suite's service refuses a
  logout for a room the user is not in (1002002). A switchRoom whose login to the target room
  is refused (the service no longer accepts the user's token) reports LOGIN_FAILED for it.

  Reading (requirement ex-logout-during-reconnection, profile express.logout_while_reconnecting,
  default logout): a logoutRoom while the room is reconnecting cannot reach the service. The
  page allows LOGOUT (the user has left; the vendor's Web SDK reports LOGOUT at once) or
  LOGOUT_FAILED (the logout request failed). Either way the reconnection ends: the user asked
  to leave, so the engine has nothing left to restore, and it makes no further request.

  Interpretation: the RECONNECTING and RECONNECT_FAILED codes are the SDK's (spec FACTS, room
  error codes by reason: 1002051, 1002053). RECONNECT_FAILED "is entered after failed
  reconnection" of the SDK's "internal retries": at least one room login attempt comes between
  RECONNECTING and RECONNECT_FAILED.

  Interpretation: the page says that when a user logs in with isUserStatusNotify true, *other*
  users can receive its updates; the SDK reference says a user receives onRoomUserUpdate only
  when it logged in with the flag. The scenarios set the flag alike for every user, where both
  readings agree.

  Background:
    Given user A runs the Express engine
    And user B runs the Express engine

  @sec-003-room-state
  Rule: Each room state reason is entered when the page says it is

    @ex-login-states
    Scenario Outline: <trigger> gives <reasons>
      Given user A <setup>
      When user A <action>
      Then user A's room states for room "<room>" ended with <reasons>

      Examples:
        | trigger                    | setup                         | action                                  | room | reasons                        |
        | loginRoom                  | has not logged in to any room | logs in to room "r1"                    | r1   | LOGINING, LOGINED              |
        | loginRoom with a bad token | has not logged in to any room | logs in to room "r1" with a wrong token | r1   | LOGINING, LOGIN_FAILED 1002033 |

    @ex-switch-room
    Scenario Outline: switchRoom reports <reasons> for room <room>
      Given user A has logged in to room "r1"
      When user A switches from room "r1" to room "r2"
      Then user A's room states for room "<room>" ended with <reasons>

      Examples:
        | room | reasons           |
        | r1   | LOGINED, LOGOUT   |
        | r2   | LOGINING, LOGINED |

    @ex-logout-states
    Scenario Outline: logoutRoom <outcome> gives <reasons>
      Given user A has logged in to room "r1"
      When user A logs out of room "<room>"
      Then user A's room states for room "<room>" ended with <reasons>

      Examples:
        | outcome                  | room | reasons               |
        | of its room              | r1   | LOGOUT                |
        | of a room it is not in   | r9   | LOGOUT_FAILED 1002002 |


    @ex-switch-room-failed
    Scenario: switchRoom to a room whose login is refused gives LOGIN_FAILED for that room
      Given user A has logged in to room "r1"
      And the service revokes user A's token
      When user A switches from room "r1" to room "r2"
      Then user A's room states for room "r2" ended with LOGINING, LOGIN_FAILED 1002033

    @ex-switch-room-failed
    Scenario: switchRoom out of a room the user is not in gives LOGOUT_FAILED for that room
      Given user A has logged in to room "r1"
      When user A switches from room "r9" to room "r2"
      Then user A's room states for room "r9" ended with LOGOUT_FAILED 1002002

    @ex-kick-out
    Scenario: The same user logging in elsewhere kicks this end out
      Given user A has logged in to room "r1"
      When user A logs in to room "r1" from another device A2
      And 1 minute passes
      Then user A's room states for room "r1" ended with KICK_OUT 1002050
      And user A made no request after reporting KICK_OUT

    @ex-reconnect-states
    Scenario: A lost network gives RECONNECTING
      Given user A has logged in to room "r1"
      When the network of user A goes down
      And 10 seconds pass
      Then user A's room states for room "r1" ended with LOGINED, RECONNECTING 1002051

    @ex-reconnect-states
    Scenario: A network back within the window gives RECONNECTED
      Given user A has logged in to room "r1"
      When the network of user A goes down
      And 10 seconds pass
      And the network of user A comes back
      And 30 seconds pass
      Then user A's room states for room "r1" ended with RECONNECTING 1002051, RECONNECTED

    @ex-reconnect-states
    Scenario: A network that never comes back gives RECONNECT_FAILED
      Given user A has logged in to room "r1"
      When the network of user A goes down
      And the default reconnection window and 1 more minute pass
      Then user A's room states for room "r1" ended with RECONNECTING 1002051, RECONNECT_FAILED 1002053

  @sec-003-room-state
  Rule: (reading) logoutRoom during reconnection ends it, reported as LOGOUT or LOGOUT_FAILED as the profile reads the page

    @ex-logout-during-reconnection
    Scenario: logoutRoom during reconnection ends the reconnection
      Given user A has logged in to room "r1"
      When the network of user A goes down
      And 10 seconds pass
      And user A logs out of room "r1"
      And the network of user A comes back
      And 30 minutes pass
      Then user A's room states for room "r1" ended with RECONNECTING 1002051 and the logout outcome the profile reads
      And user A made no request after logging out of room "r1"

  @sec-003-user-status
  Rule: isUserStatusNotify decides whether other users hear of this user's arrivals and departures

    @ex-user-status-notify
    Scenario Outline: With isUserStatusNotify <flag>, user B <hears> user A come and go
      Given user B has logged in to room "r1" with user status notification <flag>
      When user A logs in to room "r1" with user status notification <flag>
      And 5 seconds pass
      And user A logs out of room "r1"
      And 5 seconds pass
      Then user B received <updates> about user A

      Examples:
        | flag | hears            | updates                          |
        | on   | hears of         | onRoomUserUpdate ADD then DELETE |
        | off  | hears nothing of | no onRoomUserUpdate              |
