@express @spec-003 @sec-003-room-cases @under-test-A
Feature: ZEGO Express room reconnection: the three cases
  Transcribes spec 003, "Room State Diagram": "There are three cases of room reconnection
  after disconnection", with user B watching user A. T3 is when A's network goes down.

  The notification delay (90 s on this page, 100 s on another vendor page) and the default
  reconnection window (20 min for native SDKs, 5 min for the Web SDK) are profile parameters,
  express.user_notify_delay and express.reconnect_window (FACTS, contradictions 4 and 5); the
  scenarios read them from the profile, and the simulated service drops a silent user after
  the profile's delay.

  What these scenarios judge. The notification delay is the simulated service's setting (it
  drops a user it has not heard from for the profile's delay and tells the others), so the
  instant of a DELETE is the service's doing. What a client can break, and what is checked:
  relaying (the other user's engine reports the update the service pushed, within 1 s of the
  push), not inventing (no update the service did not push: the "received no
  onRoomUserUpdate" / "no onRoomStreamUpdate" steps), and keeping its session alive (the
  engine that lost its network heartbeats often enough that the service's delay runs from the
  outage: the DELETE may come at most one announced heartbeat interval, 10 s, before T3 +
  delay and at most 1 s after it).

  Interpretation: "T4' ≈ T3 + 90s": the service counts the delay from A's last heartbeat, so B
  may hear up to one heartbeat interval (10 s, announced by the service) before T3 + 90 s, and
  at most 1 s after it. The outages below start 24 s into A's session, an arbitrary point of
  the heartbeat cycle.

  Tolerance: RECONNECT_FAILED is expected within 1 s of T3 + the window (the page gives
  "T5'' = T3 + 20 min" with no "about"; the engine notices a lost network at once in the
  suite's wire protocol).

  Interpretation: timings the page marks as approximate ("about 120 ms", "about 100 ms
  later") are informative (FACTS, ambiguity 6): the order is asserted, not the milliseconds.

  Background:
    Given user A runs the Express engine
    And user B runs the Express engine
    And user B has logged in to room "live"
    And user A has logged in to room "live"
    And 24 seconds pass

  Rule: Joining: A is in the room (LOGINING, LOGINED) before B hears of it

    @ex-join-timing
    Scenario: B hears of A's arrival after A has logged in
      Then user B received onRoomUserUpdate ADD for user A after user A reported LOGINED

  Rule: Case 1: A back within the notification delay; B hears nothing

    @ex-case1-silent
    Scenario: A brief outage goes unnoticed by B
      When the network of user A goes down
      And half the user notification delay passes
      And the network of user A comes back
      And 30 seconds pass
      Then user A's room states for room "live" ended with RECONNECTING 1002051, RECONNECTED
      And user B received no onRoomUserUpdate about user A since user A's network went down

  Rule: Case 2: A back after the notification delay; B hears DELETE, then ADD after A's RECONNECTED

    @ex-case2-delete-add
    Scenario: B hears A leave at T3 plus the delay, and come back after A reconnected
      When the network of user A goes down
      And the user notification delay and 2 more minutes pass
      And the network of user A comes back
      And 30 seconds pass
      Then user B received onRoomUserUpdate DELETE for user A the user notification delay after user A's network went down
      And user A's room states for room "live" ended with RECONNECTING 1002051, RECONNECTED
      And user B received onRoomUserUpdate ADD for user A after user A reported RECONNECTED

  Rule: Case 3: A never back; B hears DELETE, A gets RECONNECT_FAILED at T3 plus the window and stops

    @ex-case3-failed
    Scenario: B hears A leave at T3 plus the delay
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user B received onRoomUserUpdate DELETE for user A the user notification delay after user A's network went down

    @ex-case3-failed
    Scenario: A gives up at T3 plus the default window and makes no further attempt
      When the network of user A goes down
      And the default reconnection window and 40 more minutes pass
      Then user A reported RECONNECT_FAILED the default reconnection window after its network went down
      And user A made no request after reporting RECONNECT_FAILED
