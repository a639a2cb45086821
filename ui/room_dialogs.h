// Small dialogs of the Rooms tab: name a new room, rename a room, pick one of the original
// nine room colours, confirm a deletion. All are opened with open() (window-modal, not a
// nested event loop).
#pragma once

#include <QDialog>

class QAbstractButton;
class QButtonGroup;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QMessageBox;

namespace chalk::ui {

// A room name, checked as the user types: not empty, at most Limits::roomName characters,
// not the name of another room (two "Team" rooms cannot be told apart in the list). What is
// wrong is said under the field and the OK button stays disabled until it is right.
class RoomNameDialog : public QDialog {
    Q_OBJECT
public:
    // takenNames: the names of the other rooms (compared ignoring case and spacing).
    RoomNameDialog(const QString &title, const QString &prompt, const QString &okText,
                   const QString &initialName, const QStringList &takenNames,
                   QWidget *parent = nullptr);

    QString name() const; // simplified
    QLineEdit *nameEdit() const { return m_edit; }
    QString errorText() const; // empty while the name is fine
    // Why `name` cannot be a room's name, or empty when it can.
    static QString problemWith(const QString &name, const QStringList &takenNames);

private:
    void validate();

    QLineEdit *m_edit;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QStringList m_taken;
};

class RenameRoomDialog : public RoomNameDialog {
    Q_OBJECT
public:
    RenameRoomDialog(const QString &currentName, const QStringList &otherNames = {},
                     QWidget *parent = nullptr);
};

// "New": a name first (a free "Room N" is proposed); cancel creates nothing.
class NewRoomDialog : public RoomNameDialog {
    Q_OBJECT
public:
    explicit NewRoomDialog(const QStringList &existingNames, QWidget *parent = nullptr);
    static QString defaultName(const QStringList &existingNames);
};

// Asks before a room and its whole history (messages and drawing) are deleted for everyone.
// The "Delete" button has the destructive role; Cancel is the default. Deleted on close.
QMessageBox *confirmRoomDeletion(QWidget *parent, const QString &roomName);

class RoomColorDialog : public QDialog {
    Q_OBJECT
public:
    RoomColorDialog(const QString &roomName, const QString &currentColor,
                    QWidget *parent = nullptr);

    QString color() const; // one of protocol::roomPalette(), or empty when none picked
    QList<QAbstractButton *> swatches() const;

private:
    QButtonGroup *m_group;
};

} // namespace chalk::ui
