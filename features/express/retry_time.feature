@express @spec-003 @needs-streams
Feature: ZEGO Express reconnection time
  Transcribes spec 003, "Reconnection Time Setting": the default reconnection time, and
  setEngineConfig's room_retry_time (room) and av_retry_time (publishing and playing), in
  seconds, which the page says to set before logging in to the room.

  Interpretation: "Please set the reconnection time before logging in to the room" means a
  value set after loginRoom does not change the current room's windows.

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

  @sec-003-retry-time
  Rule: room_retry_time and av_retry_time set before loginRoom change the windows; set after, they do not

    @ex-retry-config
    Scenario Outline: <setting> set to 120 seconds <when> loginRoom: the <what> gives up after <window>
      Given user A sets <setting> to 120 seconds <when> logging in to room "live"
      And user A is publishing stream "a-cam"
      When the network of user A goes down
      And the default reconnection window and 10 more minutes pass
      Then user A reported <failure> <window> after its network went down

      Examples:
        | setting         | when   | what       | failure                       | window                            |
        | room_retry_time | before | room       | RECONNECT_FAILED              | 120 seconds                       |
        | room_retry_time | after  | room       | RECONNECT_FAILED              | the default reconnection window   |
        | av_retry_time   | before | publishing | NO_PUBLISH for stream "a-cam" | 120 seconds                       |
        | av_retry_time   | after  | publishing | NO_PUBLISH for stream "a-cam" | the default reconnection window   |
