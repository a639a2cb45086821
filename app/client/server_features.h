// What the server at the other end of this link supports, learned once per link from what it
// says, and asked by every part of the client (the board, the request router) instead of each
// guessing on its own. Ours hands out a resume token in its first user_created; the original
// socket_chat server does not, and knows none of the additions of docs/PROTOCOL.md.
#pragma once

#include <QString>

namespace chalk::client {

enum class Feature {
    ResumeToken,  // user_created carries a token, and `resume` may be asked
    Resumed,      // this link got the stored identity back with `resume`
    ClientIdEcho, // direct answers carry the call's client_id
    AppendLines,  // change_draw_line with append: true adds points (the original replaces)
    RemoveLines,  // remove_draw_line (undo one's own stroke)
    Typing,       // the typing call and user_typing
    UnreadCounts, // rooms carry `unread` kept by the server; mark_read moves the read marker
    OwnMessages,  // edit_message, delete_message, and create_message's reply_to
};

class ServerFeatures {
public:
    // A new link: nothing is known yet.
    void reset() { *this = ServerFeatures(); }
    // The first user_created of the link: whether it came with a resume token.
    void learnFromGreeting(bool hasToken);
    void learnResumed() { m_resumed = true; }
    // A direct answer echoed a client_id.
    void learnClientIdEchoed() { m_echo = true; }
    // A room came with `unread`, or an unread_changed arrived: the server keeps the counts.
    void learnUnreadCounts() { m_unread = true; }

    // Whether the greeting has been seen on this link.
    bool known() const { return m_known; }
    bool supports(Feature feature) const;

private:
    bool m_known = false;
    bool m_ours = false; // the greeting had a token: a Chalkroom server
    bool m_resumed = false;
    bool m_echo = false;
    bool m_unread = false;
};

} // namespace chalk::client
