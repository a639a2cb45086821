// Sizes a peer controls, with their defaults. The server takes them from its options
// (docs/OPERATIONS.md); the validator and the client use the same numbers.
#pragma once

#include <QtGlobal>

namespace chalk::protocol {

struct Limits {
    qsizetype statementBytes = 64 * 1024; // one incoming frame / message, UTF-8 bytes
    int userName = 64;                    // characters (UTF-16 code units)
    int roomName = 64;
    int body = 4000;
    int replyQuote = 200;     // characters of the replied-to body a reply carries (reply_to_text)
    int pointsPerLine = 2000; // x,y pairs; the array holds twice as many numbers
    int linesPerRoom = 20000;
    int pageDefault = 50;     // messages in the page sent on enter_room
    int pageMax = 200;        // largest `limit` accepted by list_messages
    int userPageDefault = 50; // users in a list_users page without `limit`
    int userPageMax = 100;    // largest `limit` accepted by list_users
    // rooms_listed pages (ours): the welcome sends the first page, the client asks for the rest
    // (list_rooms {after, limit}). A page also ends once its rooms passed roomPageBytes, so a
    // server full of rooms with the longest names still greets within the backpressure limit.
    int roomPageDefault = 500;
    int roomPageMax = 1000;
    qsizetype roomPageBytes = 256 * 1024;
    int clientId = 64;
    int token = 256;
    int password = 1024;
    // Account names (register, login) and passwords. Bytes for passwords: what Argon2id hashes.
    int loginNameMin = 3;
    int loginNameMax = 32;
    int passwordMinBytes = 8;
    int passwordMaxBytes = 1024;
    double coordinateMax = 100000; // |x|, |y| bound; the board is 640x480 logical (docs/BOARD.md)
    double widthMax = 200;
};

} // namespace chalk::protocol
