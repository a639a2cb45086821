// The message list: bubbles painted by MessageDelegate, older pages fetched when scrolled to
// the top (the scroll position stays where it was), and kept at the bottom when new messages
// arrive while the user is at the bottom; when they arrive while the user reads further up, a
// "N new messages ↓" button takes them down. It tells the UnreadDivider whether the list is
// in view, and opens a clicked http(s) link with QDesktopServices. Bubble colours come from
// the theme (qproperty-*).
#pragma once

#include "client/message_list_model.h"

#include <QColor>
#include <QListView>
#include <QPointer>
#include <QUrl>

class QMenu;
class QPushButton;

namespace chalk::client {
class RoomListModel;
}

namespace chalk::ui {

class HistoryProxy;
class MessageDelegate;
class UnreadDivider;

class MessageView : public QListView {
    Q_OBJECT
    Q_PROPERTY(QColor ownBubbleColor MEMBER m_ownBubble NOTIFY colorsChanged)
    Q_PROPERTY(QColor ownTextColor MEMBER m_ownText NOTIFY colorsChanged)
    Q_PROPERTY(QColor otherBubbleColor MEMBER m_otherBubble NOTIFY colorsChanged)
    Q_PROPERTY(QColor otherTextColor MEMBER m_otherText NOTIFY colorsChanged)
    Q_PROPERTY(QColor metaColor MEMBER m_meta NOTIFY colorsChanged)
    Q_PROPERTY(QColor accentColor MEMBER m_accent NOTIFY colorsChanged)
public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setMessageModel(client::MessageListModel *model);
    client::MessageListModel *messageModel() const { return m_messages; }
    MessageDelegate *messageDelegate() const { return m_delegate; }
    // Maps a row of the view's model (a proxy) to the message model.
    QModelIndex sourceIndex(int row) const;

    // The rooms' unread counts: entering a room puts the unread divider above its unread.
    void setRoomModel(client::RoomListModel *rooms);
    UnreadDivider *unreadDivider() const { return m_unread; }
    // The uuid of the message with the "unread" divider above it; empty: none.
    QString unreadAnchor() const;
    // Its row (in the view's model), -1 when none.
    int unreadRow() const;
    // Whether the user can see the list: shown, and its window the active one.
    bool isInView() const;

    bool isAtBottom() const;
    // Scrolls to the newest message and keeps following (e.g. after sending one).
    void followBottom();
    // "N new messages ↓": shown while scrolled up and messages arrived below.
    QPushButton *newMessagesButton() const { return m_newButton; }
    int newMessagesBelow() const { return m_newBelow; }

    // Edit, Delete and Reply in the context menu (a server that has them, ServerFeatures).
    void setMessageActionsEnabled(bool on) { m_messageActions = on; }
    // The context menu of a row (the view's model), as right click and the Menu key open it:
    // Reply for a stored message, Edit and Delete for one's own too; then the copy actions.
    // Owned by the caller.
    QMenu *messageMenu(const QModelIndex &index, const QUrl &link = {});

    // The link under a point of the viewport (empty: none).
    QUrl linkAt(QPoint pos) const;
    // Where characters [from, from + length) of a row's displayed body are, in viewport
    // coordinates (tests, and whoever needs to point at a part of a message).
    QRect textRect(int row, int from, int length) const;
    QRect bubbleRect(int row) const;
    // How many times the view asked for an older page (tests, diagnostics).
    int olderPagesRequested() const { return m_olderRequests; }

    QColor ownBubbleColor() const { return m_ownBubble; }
    QColor ownTextColor() const { return m_ownText; }
    QColor otherBubbleColor() const { return m_otherBubble; }
    QColor otherTextColor() const { return m_otherText; }
    QColor metaColor() const { return m_meta; }
    QColor accentColor() const { return m_accent; }

signals:
    void colorsChanged();
    // A link was clicked and handed to QDesktopServices.
    void linkOpened(const QUrl &url);
    // Chosen in a message's context menu; `index` is of the message model.
    void replyRequested(const QModelIndex &index);
    void editRequested(const QModelIndex &index);
    void deleteRequested(const QModelIndex &index);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void onAboutToInsert(const QModelIndex &parent, int first, int last);
    void onRangeChanged(int min, int max);
    void onValueChanged(int value);
    void onAppended(int first, int last);
    void maybeFetchOlder();
    void updateInView();
    void setNewBelow(int count);
    void placeNewButton();
    QStyleOptionViewItem optionFor(const QModelIndex &index) const;

    QPointer<client::MessageListModel> m_messages;
    HistoryProxy *m_proxy = nullptr;
    MessageDelegate *m_delegate;
    UnreadDivider *m_unread = nullptr;
    QPushButton *m_newButton;
    int m_newBelow = 0;
    QUrl m_pressedLink;
    bool m_stickToBottom = true;
    bool m_prependPending = false;
    int m_fromBottom = 0;
    bool m_fetchQueued = false;
    int m_olderRequests = 0;
    bool m_messageActions = false;
    QColor m_ownBubble{0x2c, 0x3e, 0x50};
    QColor m_ownText{Qt::white};
    QColor m_otherBubble{0xe8, 0xea, 0xec};
    QColor m_otherText{0x1b, 0x1f, 0x24};
    QColor m_meta{0x55, 0x5b, 0x62};
    QColor m_accent{0x2c, 0x3e, 0x50};
};

} // namespace chalk::ui
