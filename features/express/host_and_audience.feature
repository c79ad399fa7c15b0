@express @spec-003 @needs-streams
Feature: ZEGO Express host disconnection and host crash, as the audience sees them
  Transcribes spec 003, "Handling Unexpected Disconnections": its note (other users learn of a
  disconnection after 90 s), "Handling Host Network Disconnection", "Handling Host Network
  Issues from the Audience Side" and "Handling Host Crashes from the Audience Side".

  The page's advice to the audience (stop playing on a "stream deleted" notification, start
  again on "stream added", retry after a delay such as 3 s, avoid a replay loop) is the app's
  part and not checked; the engine's part is.

  A host crash is simulated as the host device going silent for good (its network is cut and
  its engine abandoned); a restart is a new engine on a new device, logging in as the same user
  and publishing the same stream ID. The notification delay is the profile parameter
  express.user_notify_delay (90 s by default).

  What these scenarios judge. The notification delay is the simulated service's setting (it
  drops a user it has not heard from for the profile's delay and tells the others), so the
  instant of a DELETE is the service's doing. What a client can break, and what is checked:
  relaying (the other user's engine reports the update the service pushed, within 1 s of the
  push), not inventing (no update the service did not push: the "received no
  onRoomUserUpdate" / "no onRoomStreamUpdate" steps), and keeping its session alive (the
  engine that lost its network heartbeats often enough that the service's delay runs from the
  outage: the DELETE may come at most one announced heartbeat interval, 10 s, before T3 +
  delay and at most 1 s after it).

  Background:
    Given user H runs the Express engine
    And user V runs the Express engine
    And user H has logged in to room "show"
    And user V has logged in to room "show"
    And user H is publishing stream "h-cam"
    And user V is playing stream "h-cam"

  @sec-003-host-network
  Rule: A disconnected host's publishing pauses, and resumes by itself when the network is back

    @ex-host-resume @under-test-H
    Scenario: The host's stream is published again after a 5-minute outage, with no call from the app
      When the network of user H goes down
      And 5 minutes pass
      And the network of user H comes back
      And 1 minute passes
      Then user H's publisher states for stream "h-cam" since its network went down were PUBLISH_REQUESTING 1003020, PUBLISHING

  @sec-003-host-network
  Rule: A host away longer than the notification delay: the others hear "stream deleted", then "stream added" once it republishes

    @ex-host-stream-delete @under-test-H
    Scenario: The audience hears the stream deleted at the delay, then added after the host is back
      When the network of user H goes down
      And the user notification delay and 3 more minutes pass
      And the network of user H comes back
      And 1 minute passes
      Then user V received onRoomStreamUpdate DELETE for stream "h-cam" the user notification delay after user H's network went down
      And user V received onRoomStreamUpdate ADD for stream "h-cam" after the DELETE

    @ex-host-stream-delete @under-test-H
    Scenario: A host back within the notification delay causes no stream notification
      When the network of user H goes down
      And half the user notification delay passes
      And the network of user H comes back
      And 1 minute passes
      Then user V received no onRoomStreamUpdate since user H's network went down

  @sec-003-host-network
  Rule: A user away longer than the notification delay hears, once back, of the streams deleted meanwhile

    # "All room users except the host will receive a 'stream deleted' notification": a user whose
    # own network was down then missed the push, and its session with it; the login answer of its
    # new session no longer lists the stream, and that is how the engine learns of it.
    @ex-missed-stream-delete @under-test-V
    Scenario: The audience, away when the host's stream was deleted, hears "stream deleted" once back
      When the network of user H goes down
      And 10 seconds pass
      And the network of user V goes down
      And the user notification delay and 1 more minute pass
      And the network of user V comes back
      And 30 seconds pass
      Then user V's room states for room "show" ended with RECONNECTING 1002051, RECONNECTED
      And user V received onRoomStreamUpdate DELETE for stream "h-cam" once its network came back

  @sec-003-audience
  Rule: While the host is gone the audience's player retries in the background, and reports an error when the retries fail

    @ex-audience-retry @under-test-V
    Scenario: The audience plays again when the host comes back
      When the network of user H goes down
      And 5 minutes pass
      And the network of user H comes back
      And 1 minute passes
      Then user V's player states for stream "h-cam" since user H's network went down were PLAY_REQUESTING 1004020, PLAYING
      And user V made play requests while user H was away

    @ex-audience-retry @under-test-V
    Scenario: The audience's player reports an error once its retries fail
      When the network of user H goes down
      And the default reconnection window and 10 more minutes pass
      Then user V's player state for stream "h-cam" ended NO_PLAY with a non-zero error code
      And user V made no play request after reporting NO_PLAY

  @sec-003-host-crash
  Rule: A host that crashes and is not back within the notification delay: the audience hears "stream deleted"

    @ex-crash-delete @under-test-V
    Scenario: The host's stream is deleted the notification delay after the crash
      When the host application of user H crashes
      And 10 minutes pass
      Then user V received onRoomStreamUpdate DELETE for stream "h-cam" the user notification delay after user H's network went down

  @sec-003-host-crash
  Rule: A host restarted within the notification delay: the audience hears "stream deleted" first, then "stream added"

    @ex-crash-restart @under-test-V
    Scenario: The restarted host's stream is deleted and added again
      When the host application of user H crashes
      And 20 seconds pass
      And user H restarts on device H2 and publishes stream "h-cam" again
      And 1 minute passes
      Then user V received onRoomStreamUpdate DELETE for stream "h-cam", then ADD, since user H's network went down
