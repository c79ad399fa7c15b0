@zim @spec-001 @sec-001-room-disconnection @needs-rooms @under-test-A
Feature: ZIM room reconnection through the periods T0, T1 and T2
  Transcribes the ZIM FAQ (spec 001; 002 and 004 in Chinese, 004 has the clearest table),
  "Scenario 4: ZIM Room Network Disconnection", its note and its table, row by row:

    | period | onConnectionStateChanged | onRoomStateChanged                                    |
    | T0     | 3 RECONNECTING           | 1 CONNECTING, event 1 NETWORK_INTERRUPTED             |
    | T1     | 2 CONNECTED              | 1 CONNECTING, event 1 NETWORK_INTERRUPTED             |
    | T2     | 2 CONNECTED              | 2 CONNECTED, event 0 SUCCESS (room restored)          |
    | T2     | 2 CONNECTED              | 0 DISCONNECTED, event 9 (heartbeat timeout)           |
    | T2     | 2 CONNECTED              | 0 DISCONNECTED, event 3 ROOM_NOT_EXIST                |

  Room event 9 is "disconnected due to heartbeat timeout" in the FAQ and CONNECT_TIMEOUT in the
  enum: the same value (FACTS, ambiguity 7).

  The handling suggestions are advice to apps: wait at T0 and T1; at T2 use the room as usual,
  or rejoin (joinRoom, enterRoom) after event 9, or recreate (createRoom, enterRoom) after
  event 3, or tell the user they have left the room. The rejoin and recreate calls are checked.

  Reading (requirement zim-t1-room-callback, profile zim.t1_room_callback, default true): the
  table's T1 row repeats room state 1 / event 1, already reported at T0. true: the SDK reports
  it again once the connection is back (a new callback after the connection's state 2); false:
  the row describes the room still being in state 1, and no room callback comes until T2. What
  both readings share, the connection's state 2 before the room's T2 outcome, is requirement
  zim-room-t1. "Use room functions normally" after T2 restored (zim-room-usable) is checked as
  the user staying a member for 5 minutes (longer than the 60-s member timeout) and leaving.

  What decides T2 is the service's own state, never a step forcing a callback. In the suite's
  wire protocol (docs/wire-protocol.md) a room member whose device has not pinged for 60 s is
  dropped from the room, and a room left with no member is destroyed. So a 20-second outage
  keeps the user in the room; a 3-minute one drops them, and the room survives only if someone
  else is still in it. At network recovery the SDK asks the service (/room/query) whether the
  user is still in the room; the suite records that request and its answer.

  Background:
    Given device A of Alice runs the ZIM SDK
    And device A is logged in as Alice
    And device A has entered room "party"

  Rule: T0: while the network is down, the connection reports 3 and the room 1 with event 1

    @zim-room-t0
    Scenario: At T0 both callbacks report the interruption
      When the network of device A goes down
      And 20 seconds pass
      Then at T0 device A reported connection state 3 and room "party" state 1 with event 1

  Rule: T1: once the network is back, the connection reports 2 before the room is restored

    @zim-room-t1
    Scenario: At T1 the connection is back before the room is restored
      When the network of device A goes down
      And 20 seconds pass
      And the network of device A comes back
      And 1 minute passes
      Then at T1 device A reported connection state 2 before room "party" was restored

  Rule: (reading) At T1 the room reports state 1 with event 1 again, or nothing until T2, as the profile reads the table

    @zim-t1-room-callback
    Scenario: At T1 the room's callback is the one the profile reads in the table's T1 row
      When the network of device A goes down
      And 20 seconds pass
      And the network of device A comes back
      And 1 minute passes
      Then at T1 device A reported for room "party" what the profile reads in the T1 row

  Rule: At network recovery the SDK asks the service whether the user is still in the room

    @zim-room-query
    Scenario Outline: After a <outage> outage, the room notification follows the service's answer
      Given <company>
      When the network of device A goes down
      And <outage> pass
      And the network of device A comes back
      And 1 minute passes
      Then device A asked the service whether Alice is still in room "party" between T1 and T2

      Examples:
        | outage     | company                              |
        | 20 seconds | Carol stays in room "party" on device C |
        | 3 minutes  | Carol stays in room "party" on device C |
        | 3 minutes  | nobody else is in room "party"       |

  Rule: T2: the room ends restored, dropped for heartbeat timeout, or gone

    Scenario Outline: After a <outage> outage with <company>, the room ends <outcome>
      Given <company>
      When the network of device A goes down
      And <outage> pass
      And the network of device A comes back
      And 1 minute passes
      Then device A went through T0, T1 and T2 for room "party" in that order
      And at T2 device A reported room "party" state <state> with event <event>

      @zim-room-t2-restored
      Examples: the user is still in the room
        | outcome  | outage     | company                                 | state | event |
        | restored | 20 seconds | Carol stays in room "party" on device C | 2     | 0     |

      @zim-room-t2-heartbeat-timeout
      Examples: the user was dropped but the room lives on
        | outcome                       | outage    | company                                 | state | event |
        | dropped for heartbeat timeout | 3 minutes | Carol stays in room "party" on device C | 0     | 9     |

      @zim-room-t2-not-exist
      Examples: the room is gone
        | outcome | outage    | company                        | state | event |
        | gone    | 3 minutes | nobody else is in room "party" | 0     | 3     |

  Rule: After T2 restored, the room can be used as before

    @zim-room-usable
    Scenario: After the room was restored the user stays a member and leaves it as usual
      Given Carol stays in room "party" on device C
      When the network of device A goes down
      And 20 seconds pass
      And the network of device A comes back
      And 5 minutes pass
      Then Alice is a member of room "party" at the service
      When the app on device A leaves room "party"
      Then the call succeeded
      And Alice is not a member of room "party" at the service

  Rule: After a heartbeat-timeout drop, joinRoom or enterRoom rejoins the room

    @zim-room-rejoin
    Scenario Outline: <api> rejoins the room after event 9
      Given Carol stays in room "party" on device C
      When the network of device A goes down
      And 3 minutes pass
      And the network of device A comes back
      And 1 minute passes
      And the app on device A <call>
      Then the call succeeded
      And Alice is a member of room "party" at the service

      Examples:
        | api       | call               |
        | joinRoom  | joins room "party" |
        | enterRoom | enters room "party" |

  Rule: After the room ceased to exist, createRoom or enterRoom recreates it

    @zim-room-recreate
    Scenario Outline: <api> recreates the room after event 3
      Given nobody else is in room "party"
      When the network of device A goes down
      And 3 minutes pass
      And the network of device A comes back
      And 1 minute passes
      And the app on device A <call>
      Then the call succeeded
      And Alice is a member of room "party" at the service

      Examples:
        | api        | call                 |
        | createRoom | creates room "party" |
        | enterRoom  | enters room "party"  |
