// One section of the Rooms tab over the one room list: the rooms, or the direct conversations
// (named by the other person, DirectNames). Both keep the search and the order of
// RoomFilterProxyModel; a direct conversation is also found by the other person's name.
#pragma once

#include "client/room_filter_proxy_model.h"

#include <QPointer>

namespace chalk::client {
class PresenceBook;
class RoomListModel;
} // namespace chalk::client

namespace chalk::ui {

class DirectNames;

class RoomSectionProxy : public client::RoomFilterProxyModel {
    Q_OBJECT
public:
    enum class Section { Rooms, Direct };
    // Of a direct conversation's other person (PresenceBook), for the Direct section only:
    // PartnerOnlineRole is invalid while nothing is known, else a bool.
    enum Role { PartnerOnlineRole = Qt::UserRole + 200, PartnerLastSeenRole };

    // names: may be nullptr (direct conversations keep the server's name).
    RoomSectionProxy(Section section, client::RoomListModel *rooms, DirectNames *names,
                     QObject *parent = nullptr);

    Section section() const { return m_section; }
    // Where the partners' presence comes from (the Direct section; may be nullptr).
    void setPresence(const client::PresenceBook *presence);
    // Display and NameRole of a direct conversation: the other person's name.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Section m_section;
    client::RoomListModel *m_rooms;
    QPointer<DirectNames> m_names;
    QPointer<const client::PresenceBook> m_presence;
};

} // namespace chalk::ui
