@express @spec-003 @needs-streams
Feature: ZEGO Express publishing and playing reconnection
  Transcribes spec 003, "Stream Publishing Reconnection" and "Stream Playing Reconnection",
  with their state tables.

  The page's advice to apps (after NO_PUBLISH or NO_PLAY, wait a few seconds, such as 3-5 s,
  before starting again, and do not retry in a loop) is not checked: it is the app's part. The
  engine's part is checked: it retries by itself, and once it reports failure it has stopped.

  "Failure" (NO_PUBLISH, NO_PLAY with a non-zero code) comes on two paths, both checked: every
  node failed, and the retries after an interruption ran out at the end of the window.
  Interpretation: "If all stream publishing nodes have been attempted and still fail, the user
  will receive ... NoPublish" gives no instant. An engine may report it as soon as every node
  has been attempted and answered a failure, or keep retrying the nodes until the window ends
  (the reference does); before the window ends, only the first is allowed. The scenarios wait
  the whole window and 1 more minute.

  Reading (requirement ex-leave-stops-streams, profile express.leaving_stops_streams, default
  true): the page does not say what becomes of the streams published and played in a room the
  engine leaves (logoutRoom, switchRoom, or a kick-out). ZEGO's logoutRoom reference says the
  SDK stops publishing and playing, and the suite's service deletes a leaving session's streams
  (the others hear DELETE), so by default they stop with the room: no publish or play request
  and no state but NO_PUBLISH / NO_PLAY (reported or not, with any code: the app asked) until the
  app starts them again, even once the engine is back in a room. false: not judged.

  Steady-state errors: the page names an incorrect AppID, AppSign or token, and (publishing) a
  stream ID another user publishes. The suite's service models the token: once it no longer
  accepts a user's token, that user's publish and play requests answer 1002033, which no retry
  can fix, so the engine reports NO_PUBLISH / NO_PLAY after its one request.

  Network type switching (Wi-Fi to cellular) is simulated as the device's link going down and
  coming back at the same instant: every request in flight is reset and the network works at
  once. The page says such an interruption is reconnected by the SDK itself; the suite reads
  the reset of the engine's connections as that interruption, so the engine reports it
  (RECONNECTING, PUBLISH_REQUESTING, PLAY_REQUESTING) and then restores all three.

  The suite's service has three publish nodes and three play nodes, numbered 0-2, that a
  scenario can make fail; the engine reaches each through the "node" field of its request
  (docs/wire-protocol.md).

  Background:
    Given user A runs the Express engine
    And user B runs the Express engine
    And user A has logged in to room "live"
    And user B has logged in to room "live"

  @sec-003-publish
  Rule: On an interruption the publisher requests again while the SDK retries, then publishes again

    @ex-publish-retry @under-test-A
    Scenario: Publishing goes PUBLISH_REQUESTING during an outage and PUBLISHING after it
      Given user A is publishing stream "a-cam"
      When the network of user A goes down
      And 30 seconds pass
      And the network of user A comes back
      And 30 seconds pass
      Then user A's publisher states for stream "a-cam" since its network went down were PUBLISH_REQUESTING 1003020, PUBLISHING

  @sec-003-publish
  Rule: When every publish node fails, the publisher reports NO_PUBLISH with an error code

    @ex-publish-failed @under-test-A
    Scenario: No publish node answers
      Given every publish node of the service fails
      When user A starts publishing stream "a-cam"
      And the default reconnection window and 1 more minute pass
      Then user A tried every publish node
      And user A's publisher state for stream "a-cam" ended NO_PUBLISH with a non-zero error code
      And user A made no publish request after reporting NO_PUBLISH

    @ex-publish-failed @under-test-A
    Scenario: Publishing interrupted for longer than the reconnection window ends NO_PUBLISH with an error code
      Given user A is publishing stream "a-cam"
      When the network of user A goes down
      And the default reconnection window and 1 more minute pass
      Then user A's publisher state for stream "a-cam" ended NO_PUBLISH with a non-zero error code

  @sec-003-publish
  Rule: A steady-state error (the service no longer accepts the token) ends publishing in NO_PUBLISH, without retrying

    @ex-publish-steady-error @under-test-A
    Scenario: Publishing with a token the service no longer accepts
      Given the service revokes user A's token
      When user A starts publishing stream "a-cam"
      And 1 minute passes
      Then user A's publisher state for stream "a-cam" ended NO_PUBLISH with a non-zero error code
      And user A made exactly one publish request

  @sec-003-publish
  Rule: A stream ID another user already publishes cannot be published

    @ex-publish-duplicate @under-test-A
    Scenario: Publishing a stream ID that is taken ends in NO_PUBLISH with an error code
      Given user B is publishing stream "shared"
      When user A starts publishing stream "shared"
      And 10 seconds pass
      Then user A's publisher state for stream "shared" ended NO_PUBLISH with a non-zero error code

  @sec-003-room-state
  Rule: (reading) Leaving a room stops the streams published and played in it, as the profile reads the page

    @ex-leave-stops-streams @under-test-A
    Scenario: After logoutRoom, publishing and playing stay stopped, even once the user is back in the room
      Given the profile reads leaving a room as stopping its streams
      And user B is publishing stream "b-cam"
      And user A is publishing stream "a-cam"
      And user A is playing stream "b-cam"
      When user A logs out of room "live"
      And user A logs in to room "live"
      And the network of user A goes down
      And 30 seconds pass
      And the network of user A comes back
      And 30 seconds pass
      Then user A's room states for room "live" ended with RECONNECTING 1002051, RECONNECTED
      And user A neither published nor played after logging out of room "live"

    @ex-leave-stops-streams @under-test-A
    Scenario: After switchRoom, the streams of the room it left stay stopped
      Given the profile reads leaving a room as stopping its streams
      And user B is publishing stream "b-cam"
      And user A is publishing stream "a-cam"
      And user A is playing stream "b-cam"
      When user A switches from room "live" to room "r2"
      And the network of user A goes down
      And 30 seconds pass
      And the network of user A comes back
      And 30 seconds pass
      Then user A's room states for room "r2" ended with RECONNECTING 1002051, RECONNECTED
      And user A neither published nor played after switching from room "live"

    @ex-leave-stops-streams @under-test-A
    Scenario: After a kick-out, the streams stay stopped once the user has logged in again
      Given the profile reads leaving a room as stopping its streams
      And user B is publishing stream "b-cam"
      And user A is publishing stream "a-cam"
      And user A is playing stream "b-cam"
      When user A logs in to room "live" from another device A2
      And user A logs in to room "live"
      And the network of user A goes down
      And 30 seconds pass
      And the network of user A comes back
      And 30 seconds pass
      Then user A's room states for room "live" ended with RECONNECTING 1002051, RECONNECTED
      And user A neither published nor played after reporting KICK_OUT

  @sec-003-play
  Rule: On an interruption the player requests again while the SDK retries, then plays again

    @ex-play-retry @under-test-B
    Scenario: Playing goes PLAY_REQUESTING during an outage and PLAYING after it
      Given user A is publishing stream "a-cam"
      And user B is playing stream "a-cam"
      When the network of user B goes down
      And 30 seconds pass
      And the network of user B comes back
      And 30 seconds pass
      Then user B's player states for stream "a-cam" since its network went down were PLAY_REQUESTING 1004020, PLAYING

  @sec-003-play
  Rule: When every play node fails, the player reports NO_PLAY with an error code

    @ex-play-failed @under-test-B
    Scenario: No play node answers
      Given user A is publishing stream "a-cam"
      And every play node of the service fails
      When user B starts playing stream "a-cam"
      And the default reconnection window and 1 more minute pass
      Then user B tried every play node
      And user B's player state for stream "a-cam" ended NO_PLAY with a non-zero error code
      And user B made no play request after reporting NO_PLAY

    @ex-play-failed @under-test-B
    Scenario: Playing interrupted for longer than the reconnection window ends NO_PLAY with an error code
      Given user A is publishing stream "a-cam"
      And user B is playing stream "a-cam"
      When the network of user B goes down
      And the default reconnection window and 1 more minute pass
      Then user B's player state for stream "a-cam" ended NO_PLAY with a non-zero error code

  @sec-003-play
  Rule: A steady-state error (the service no longer accepts the token) ends playing in NO_PLAY, without retrying

    @ex-play-steady-error @under-test-B
    Scenario: Playing with a token the service no longer accepts
      Given user A is publishing stream "a-cam"
      And the service revokes user B's token
      When user B starts playing stream "a-cam"
      And 1 minute passes
      Then user B's player state for stream "a-cam" ended NO_PLAY with a non-zero error code
      And user B made exactly one play request

  @sec-003-reconnection-logic
  Rule: A network type switch interrupts the room, publishing and playing, and the SDK reconnects all three by itself

    @ex-network-switch @under-test-A
    Scenario: After a switch to another network type, the room and both streams come back with no call from the app
      Given user B is publishing stream "b-cam"
      And user A is publishing stream "a-cam"
      And user A is playing stream "b-cam"
      When the network of user A switches to another network type
      And 30 seconds pass
      Then user A's room states for room "live" ended with RECONNECTING 1002051, RECONNECTED
      And user A's publisher states for stream "a-cam" since its network went down were PUBLISH_REQUESTING 1003020, PUBLISHING
      And user A's player states for stream "b-cam" since its network went down were PLAY_REQUESTING 1004020, PLAYING
