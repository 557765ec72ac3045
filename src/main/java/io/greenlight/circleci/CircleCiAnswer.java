package io.greenlight.circleci;

/** CircleCI's answer to an approve or cancel call: its status code and human-readable message. */
public record CircleCiAnswer(int statusCode, String message) {}
