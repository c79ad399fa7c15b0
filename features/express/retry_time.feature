@express @spec-003 @needs-streams @under-test-A
Feature: ZEGO Express reconnection time
  Transcribes spec 003, "Reconnection Time Setting": the default reconnection time, and
  setEngineConfig's room_retry_time (room) and av_retry_time (publishing and playing), in
  seconds, which the page says to set before logging in to the room.

  Reading (requirement ex-late-retry-setting, profile express.late_retry_setting, default
  ignored): "Please set the reconnection time before logging in to the room" leaves open what a
  value set after loginRoom does. "ignored": it does not change the current room's windows;
  "next-interruption": it applies from the next interruption on. The scenarios read the window
  a late setting gets from the profile.

  The windows are the room's (room_retry_time) and one for publishing and playing alike
  (av_retry_time; "stream publishing/playing reconnection timeout"), all with the default
  window when not set. Once a window ends the SDK "will no longer attempt to reconnect" that
  kind (requirement ex-window-final): a publish or play whose window ended is not attempted
  again when the room itself reconnects later.

  Tolerance: a give-up (RECONNECT_FAILED, NO_PUBLISH, NO_PLAY) is expected within 1 s of its
  window's end, counted from the instant the network went down (the page gives the windows
  exactly, "T5'' = T3 + 20 min"; the engine notices a lost network at once, see
  docs/wire-protocol.md).

  Interpretation: a startPublishingStream / startPlayingStream for a stream already being
  published or played (a repeated start) may begin its window anew or leave the running one
  as it is: the page does not say. A give-up is then expected no earlier than the running
  window's end and no later than the new one's.

  The default window is the profile parameter express.reconnect_window (20 min native, 5 min
  on Web; FACTS, contradiction 5).

  Background:
    Given user A runs the Express engine

  @sec-003-retry-time
  Rule: By default the SDK stops reconnecting after the default window

    @ex-retry-default
    Scenario: With no setting, the room gives up after the default window
      Given user A has logged in to room "live"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported RECONNECT_FAILED the default reconnection window after its network went down

    @ex-retry-default
    Scenario: With no setting, publishing gives up after the default window
      Given user A has logged in to room "live"
      And user A is publishing stream "a-cam"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported NO_PUBLISH for stream "a-cam" the default reconnection window after its network went down

    @ex-retry-default
    Scenario: With no setting, playing gives up after the default window
      Given user B runs the Express engine
      And user B has logged in to room "live"
      And user B is publishing stream "b-cam"
      And user A has logged in to room "live"
      And user A is playing stream "b-cam"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported NO_PLAY for stream "b-cam" the default reconnection window after its network went down

  @sec-003-retry-time
  Rule: room_retry_time and av_retry_time set before loginRoom change the room's and the streams' windows

    @ex-retry-config
    Scenario Outline: <setting> set to 120 seconds before loginRoom: the <what> gives up after 120 seconds
      Given user A sets <setting> to 120 seconds before logging in to room "live"
      And user A is publishing stream "a-cam"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported <failure> 120 seconds after its network went down

      Examples:
        | setting         | what       | failure                       |
        | room_retry_time | room       | RECONNECT_FAILED              |
        | av_retry_time   | publishing | NO_PUBLISH for stream "a-cam" |

    @ex-retry-config
    Scenario: av_retry_time set to 120 seconds before loginRoom: playing gives up after 120 seconds
      Given user B runs the Express engine
      And user B has logged in to room "live"
      And user B is publishing stream "b-cam"
      And user A sets av_retry_time to 120 seconds before logging in to room "live"
      And user A is playing stream "b-cam"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported NO_PLAY for stream "b-cam" 120 seconds after its network went down

  @sec-003-retry-time
  Rule: (reading) A retry time set after loginRoom is ignored for the current room, or applies from the next interruption, as the profile reads it

    @ex-late-retry-setting
    Scenario Outline: <setting> set to 120 seconds after loginRoom: the <what> gives up after the window the profile gives a late setting
      Given user A sets <setting> to 120 seconds after logging in to room "live"
      And user A is publishing stream "a-cam"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported <failure> the window a setting of 120 seconds made after loginRoom gets after its network went down

      Examples:
        | setting         | what       | failure                       |
        | room_retry_time | room       | RECONNECT_FAILED              |
        | av_retry_time   | publishing | NO_PUBLISH for stream "a-cam" |

  @sec-003-retry-time
  Rule: Once a window has ended, the SDK makes no further attempt of that kind, even after the network is back

    @ex-window-final
    Scenario Outline: After av_retry_time ran out, <what> is not attempted again once the room has reconnected
      Given user B runs the Express engine
      And user B has logged in to room "live"
      And user B is publishing stream "b-cam"
      And user A sets av_retry_time to 120 seconds before logging in to room "live"
      And user A is publishing stream "a-cam"
      And user A is playing stream "b-cam"
      When the network of user A goes down
      And 5 minutes pass
      And the network of user A comes back
      And 5 minutes pass
      Then user A's room states for room "live" ended with RECONNECTING 1002051, RECONNECTED
      And user A made no <kind> request after reporting <state>

      Examples:
        | what       | kind    | state      |
        | publishing | publish | NO_PUBLISH |
        | playing    | play    | NO_PLAY    |
