// Handler of list_users: finding users by name, a page at a time, with their presence. The
// pushed side of presence (presence_changed) is PresenceTracker's.
#include "broadcaster.h"
#include "call_handlers.h"
#include "presence_tracker.h"

#include <QJsonArray>

namespace chalk::server {

using namespace chalk::protocol;

// list_users
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ListUsers> req)
{
    // The codec clamps a given limit to Limits::userPageMax; the default is smaller.
    const int limit = req.args.limit.value_or(m_options.limits.userPageDefault);
    const auto page = co_await m_storage.listUsers(req.args.query.value_or(QString()),
                                                   req.args.after.value_or(QString()), limit);
    if (!alive(s))
        co_return;
    if (!page) {
        Broadcaster::replyError(s, Error::StorageFailed, QStringLiteral("could not list users"),
                                req);
        co_return;
    }
    if (page->unknownAfter) {
        Broadcaster::replyError(s, Error::NoSuchUser, QStringLiteral("after names no user"), req,
                                QStringLiteral("after"));
        co_return;
    }
    QJsonArray list;
    for (UserPresence p : page->users) {
        p.online = m_presence.isOnline(p.user.uuid);
        list.append(p.toJson(true));
    }
    Broadcaster::reply(
        s, Result::UsersListed,
        {{QStringLiteral("list"), list}, {QStringLiteral("has_more"), page->hasMore}},
        req.clientId);
}

} // namespace chalk::server
