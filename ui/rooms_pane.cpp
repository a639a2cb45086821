#include "rooms_pane.h"

#include "client/chat_client.h"
#include "client/room_filter_proxy_model.h"
#include "client/room_list_model.h"
#include "notice.h"
#include "room_delegate.h"
#include "room_dialogs.h"
#include "room_list_view.h"
#include "themed_icon.h"

#include <QAction>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QResizeEvent>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

using client::RoomListModel;

namespace {
QToolButton *toolButton(QAction *action, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setIconSize(QSize(16, 16));
    b->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    return b;
}
// Room names may contain '&': in a menu it would become a mnemonic.
QString menuSafe(QString text)
{
    return text.simplified().left(40).replace(QLatin1Char('&'), QStringLiteral("&&"));
}
} // namespace

RoomsPane::RoomsPane(client::ChatClient *client, client::RoomListModel *rooms, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_rooms(rooms)
{
    setObjectName(QStringLiteral("RoomsPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("RoomSearch"));
    m_search->setPlaceholderText(tr("Search rooms"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(themes::icon(QStringLiteral(":/icons/search.png"), themes::IconPlace::Pane),
                        QLineEdit::LeadingPosition);
    m_search->setMaxLength(64);

    m_proxy = new client::RoomFilterProxyModel(this);
    m_proxy->setSourceModel(rooms);
    connect(m_search, &QLineEdit::textChanged, m_proxy,
            &client::RoomFilterProxyModel::setSearchText);

    // Said, not left as a blank list: the search found nothing.
    m_noMatch = new QLabel(this);
    m_noMatch->setObjectName(QStringLiteral("RoomSearchEmpty"));
    m_noMatch->setTextFormat(Qt::PlainText); // it quotes what was typed
    m_noMatch->setWordWrap(true);
    m_noMatch->hide();
    const auto updateNoMatch = [this] {
        const QString search = m_proxy->searchText();
        const bool none = !search.isEmpty() && m_proxy->rowCount() == 0;
        m_noMatch->setText(none ? tr("No room matches “%1”.").arg(search) : QString());
        m_noMatch->setVisible(none);
    };
    connect(m_search, &QLineEdit::textChanged, this, updateNoMatch);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, updateNoMatch);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, updateNoMatch);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, updateNoMatch);

    m_view = new RoomListView(this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new RoomDelegate(m_view));
    m_view->setAccessibleName(tr("Rooms"));

    m_enterAction = new QAction(tr("Enter"), this);
    m_newAction =
        new QAction(themes::icon(QStringLiteral(":/icons/room-add.png"), themes::IconPlace::Pane),
                    tr("New"), this);
    m_newAction->setToolTip(tr("Create a room"));
    m_renameAction = new QAction(
        themes::icon(QStringLiteral(":/icons/room-rename.png"), themes::IconPlace::Pane),
        tr("Rename…"), this);
    m_colorAction =
        new QAction(themes::icon(QStringLiteral(":/icons/room-color.png"), themes::IconPlace::Pane),
                    tr("Colour…"), this);
    m_deleteAction = new QAction(
        themes::icon(QStringLiteral(":/icons/room-delete.png"), themes::IconPlace::Pane),
        tr("Delete"), this);
    m_deleteAction->setToolTip(tr("Delete the room (only when nobody is in it)"));
    connect(m_enterAction, &QAction::triggered, this, &RoomsPane::enterSelected);
    connect(m_newAction, &QAction::triggered, this, &RoomsPane::createRoom);
    connect(m_renameAction, &QAction::triggered, this, &RoomsPane::renameSelected);
    connect(m_colorAction, &QAction::triggered, this, &RoomsPane::recolorSelected);
    connect(m_deleteAction, &QAction::triggered, this, &RoomsPane::deleteSelected);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    m_newButton = toolButton(m_newAction, this);
    m_newButton->setObjectName(QStringLiteral("NewRoomButton"));
    m_renameButton = toolButton(m_renameAction, this);
    m_renameButton->setObjectName(QStringLiteral("RenameRoomButton"));
    m_colorButton = toolButton(m_colorAction, this);
    m_colorButton->setObjectName(QStringLiteral("ColorRoomButton"));
    m_deleteButton = toolButton(m_deleteAction, this);
    m_deleteButton->setObjectName(QStringLiteral("DeleteRoomButton"));
    for (auto *b : {m_newButton, m_renameButton, m_colorButton, m_deleteButton})
        buttons->addWidget(b);
    buttons->addStretch();

    layout->addWidget(m_search);
    layout->addWidget(m_noMatch);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_view, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.isValid() && m_client)
            m_client->enterRoom(index.data(RoomListModel::UuidRole).toString());
    });
    connect(m_view, &QListView::activated, this, [this](const QModelIndex &index) {
        // Enter on the keyboard (a double click arrives as doubleClicked too).
        if (index.isValid() && m_client && m_view->hasFocus() &&
            !(QGuiApplication::mouseButtons() & Qt::LeftButton))
            m_client->enterRoom(index.data(RoomListModel::UuidRole).toString());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &RoomsPane::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RoomsPane::updateActions);
    // A reconnect lists the rooms anew (a model reset): the selection survives it, so Rename,
    // Colour and Delete stay usable (issue 12).
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_keepSelected = selectedRoom(); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_keepSelected.isEmpty())
            selectRoom(m_keepSelected);
        m_keepSelected.clear();
        updateActions();
    });
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RoomsPane::updateActions);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &RoomsPane::updateActions);
    if (client) {
        connect(client, &client::ChatClient::callErrorReceived, this, &RoomsPane::onError);
        connect(client, &client::ChatClient::stateChanged, this, &RoomsPane::updateActions);
        connect(client, &client::ChatClient::roomCreated, this, [this](const protocol::Room &room) {
            if (m_selectNextCreated) {
                m_selectNextCreated = false;
                selectRoom(room.uuid);
            }
        });
    }
    updateActions();
}

void RoomsPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateButtonStyle();
}

void RoomsPane::updateButtonStyle()
{
    // Text beside the icons when it fits, icons only (text in the tooltip) when the pane is
    // narrow: never buttons whose labels are cut to "…".
    const QList<QToolButton *> buttons = {m_newButton, m_renameButton, m_colorButton,
                                          m_deleteButton};
    int needed = 0;
    for (QToolButton *b : buttons)
        needed += b->fontMetrics().horizontalAdvance(b->defaultAction()->text()) + 48;
    const Qt::ToolButtonStyle style =
        width() - 16 >= needed ? Qt::ToolButtonTextBesideIcon : Qt::ToolButtonIconOnly;
    for (QToolButton *b : buttons) {
        if (b->toolButtonStyle() != style)
            b->setToolButtonStyle(style);
    }
}

QString RoomsPane::selectedRoom() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(RoomListModel::UuidRole).toString();
}

void RoomsPane::selectRoom(const QString &uuid)
{
    const int row = m_rooms->indexOf(uuid);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_rooms->index(row));
    if (!index.isValid())
        return;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

QStringList RoomsPane::roomNames(const QString &except) const
{
    QStringList names;
    for (int i = 0; i < m_rooms->rowCount(); ++i) {
        const protocol::Room room = m_rooms->room(i);
        if (room.uuid != except)
            names.append(room.name);
    }
    return names;
}

void RoomsPane::createRoom()
{
    if (!m_client)
        return;
    auto *dialog = new NewRoomDialog(roomNames(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_client && m_client->createRoom(dialog->name()))
            m_selectNextCreated = true; // select it, so Rename / Colour are one click away
    });
    dialog->open();
}

void RoomsPane::enterSelected()
{
    const QString uuid = selectedRoom();
    if (!uuid.isEmpty() && m_client)
        m_client->enterRoom(uuid);
}

void RoomsPane::renameSelected()
{
    const QString uuid = selectedRoom();
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room)
        return;
    auto *dialog = new RenameRoomDialog(room->name, roomNames(uuid), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, uuid] {
        const QString name = dialog->name();
        if (!name.isEmpty() && m_client)
            m_client->changeRoomName(uuid, name);
    });
    dialog->open();
}

void RoomsPane::recolorSelected()
{
    const QString uuid = selectedRoom();
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room)
        return;
    auto *dialog = new RoomColorDialog(room->name, room->color, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, uuid] {
        const QString color = dialog->color();
        if (!color.isEmpty() && m_client)
            m_client->changeRoomColor(uuid, color);
    });
    dialog->open();
}

void RoomsPane::deleteSelected()
{
    const QString uuid = selectedRoom();
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room || !m_client)
        return;
    // Asked first: a room's messages and drawing go with it. The server then decides (the
    // local member list may be stale); not_empty_room is explained in onError.
    QMessageBox *box = confirmRoomDeletion(this, room->name);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, uuid](QAbstractButton *button) {
        if (box->buttonRole(button) == QMessageBox::DestructiveRole && m_client)
            m_client->deleteRoom(uuid);
    });
    box->open();
}

void RoomsPane::onError(const protocol::CallError &error)
{
    switch (error.error) {
    case protocol::Error::NotEmptyRoom:
        showNotice(this, QMessageBox::Information, tr("Room not deleted"),
                   tr("This room still has people in it. A room can be deleted once everyone "
                      "has left it."),
                   QStringLiteral("NotEmptyRoomNotice"));
        break;
    case protocol::Error::RateLimited:
    case protocol::Error::TooManyRooms:
        if (error.callName == protocol::name(protocol::Call::CreateRoom))
            m_selectNextCreated = false; // no room_created is coming for it
        break;
    default:
        break; // the header shows the others
    }
}

void RoomsPane::updateActions()
{
    const bool connected = m_client && m_client->isConnected();
    const bool selected = !selectedRoom().isEmpty();
    m_newAction->setEnabled(connected);
    m_enterAction->setEnabled(connected && selected);
    m_renameAction->setEnabled(connected && selected);
    m_colorAction->setEnabled(connected && selected);
    m_deleteAction->setEnabled(connected && selected);
}

void RoomsPane::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (index.isValid())
        m_view->setCurrentIndex(index);
    QMenu menu(this);
    if (index.isValid()) {
        QAction *title = menu.addAction(menuSafe(index.data(RoomListModel::NameRole).toString()));
        title->setEnabled(false);
        menu.addSeparator();
        menu.addAction(m_enterAction);
        menu.addAction(m_renameAction);
        menu.addAction(m_colorAction);
        menu.addAction(m_deleteAction);
        menu.addSeparator();
    }
    menu.addAction(m_newAction);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace chalk::ui
