#include "board_widget.h"

#include "board/board_canvas.h"
#include "board/board_model.h"
#include "board_colors.h"
#include "board_scene.h"
#include "board_view.h"
#include "flow_layout.h"
#include "protocol/colors.h"

#include <QAction>
#include <QActionGroup>
#include <QColorDialog>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace chalk::ui {

namespace {

// A swatch: the colour over a checkerboard, so translucent ink shows as translucent.
QIcon swatchIcon(const QColor &color)
{
    QPixmap pm(18, 18);
    pm.fill(Qt::white);
    QPainter p(&pm);
    p.fillRect(9, 0, 9, 9, QColor(0xcc, 0xcc, 0xcc));
    p.fillRect(0, 9, 9, 9, QColor(0xcc, 0xcc, 0xcc));
    p.fillRect(pm.rect(), color);
    p.setPen(QColor(0x55, 0x55, 0x55));
    p.drawRect(pm.rect().adjusted(0, 0, -1, -1));
    return QIcon(pm);
}

constexpr double kWidths[] = {2, 5, 10, 20, 50};

} // namespace

BoardWidget::BoardWidget(board::BoardModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_scene(new BoardScene(model, this))
    , m_view(new BoardView(m_scene, this))
    , m_penWidth(board::kDefaultPenWidth)
    , m_eraserWidth(board::kDefaultEraserWidth)
{
    m_view->setObjectName(QStringLiteral("boardView"));

    // The tools and the colours wrap into more rows when the tab is narrow (a flow layout):
    // a QToolBar would hide what does not fit behind an overflow button (issue 12).
    auto *tools = new QWidget(this);
    tools->setObjectName(QStringLiteral("boardTools"));
    auto *toolFlow = new FlowLayout(tools);
    toolFlow->setContentsMargins(4, 4, 4, 2);
    const auto addButton = [this](FlowLayout *flow, QAction *action) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        flow->addWidget(button);
        return button;
    };
    auto *toolGroup = new QActionGroup(this);
    m_pen = new QAction(tr("Pen"), this);
    m_pen->setObjectName(QStringLiteral("boardPen"));
    m_pen->setToolTip(tr("Pen: draw with the chosen colour"));
    m_eraser = new QAction(tr("Eraser"), this);
    m_eraser->setObjectName(QStringLiteral("boardEraser"));
    m_eraser->setToolTip(tr("Eraser: rub ink off the board"));
    for (QAction *a : {m_pen, m_eraser}) {
        a->setCheckable(true);
        toolGroup->addAction(a);
        addButton(toolFlow, a);
    }
    m_pen->setChecked(true);
    connect(m_pen, &QAction::triggered, this, [this] { setTool(board::penTool()); });
    connect(m_eraser, &QAction::triggered, this, [this] { setTool(board::eraserTool()); });

    m_width = new QComboBox(tools);
    m_width->setObjectName(QStringLiteral("boardWidth"));
    m_width->setToolTip(tr("Stroke width"));
    for (double w : kWidths)
        m_width->addItem(tr("%1 px").arg(w), w);
    toolFlow->addWidget(m_width);
    connect(m_width, &QComboBox::activated, this,
            [this](int i) { setStrokeWidth(m_width->itemData(i).toDouble()); });

    QAction *undo = new QAction(tr("Undo my stroke"), this);
    connect(undo, &QAction::triggered, this, &BoardWidget::undoLastStroke);
    undo->setObjectName(QStringLiteral("boardUndo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    undo->setToolTip(tr("Take back your most recent stroke (everyone sees it go)"));
    addAction(undo); // the shortcut works wherever the focus is in the tab
    QAction *redo = new QAction(tr("Redo my stroke"), this);
    connect(redo, &QAction::triggered, this, &BoardWidget::redoStroke);
    redo->setObjectName(QStringLiteral("boardRedo"));
    // Ctrl+Shift+Z everywhere, and Ctrl+Y as Windows users expect.
    redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    redo->setToolTip(tr("Draw again the stroke you took back last"));
    addAction(redo);
    QAction *clear = new QAction(tr("Clear…"), this);
    connect(clear, &QAction::triggered, this, &BoardWidget::clearWithConfirmation);
    clear->setObjectName(QStringLiteral("boardClear"));
    clear->setToolTip(tr("Wipe the board for everyone in the room"));
    QAction *save = new QAction(tr("Export PNG…"), this);
    connect(save, &QAction::triggered, this, &BoardWidget::exportWithDialog);
    save->setObjectName(QStringLiteral("boardExport"));
    save->setToolTip(tr("Save the board as a PNG image"));
    for (QAction *a : {undo, redo, clear, save})
        addButton(toolFlow, a);

    // Zoom: Ctrl+wheel on the board, these keys, and "Fit" to see the whole board again.
    QAction *fit = new QAction(tr("Fit"), this);
    fit->setObjectName(QStringLiteral("boardFit"));
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    fit->setToolTip(tr("Show the whole board (Ctrl+0). Ctrl+wheel or Ctrl+= / Ctrl+- zoom; "
                       "the middle button or the wheel moves a zoomed board."));
    connect(fit, &QAction::triggered, m_view, &BoardView::zoomToFit);
    QAction *zoomIn = new QAction(tr("Zoom in"), this);
    zoomIn->setObjectName(QStringLiteral("boardZoomIn"));
    zoomIn->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    connect(zoomIn, &QAction::triggered, m_view, &BoardView::zoomIn);
    QAction *zoomOut = new QAction(tr("Zoom out"), this);
    zoomOut->setObjectName(QStringLiteral("boardZoomOut"));
    zoomOut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    connect(zoomOut, &QAction::triggered, m_view, &BoardView::zoomOut);
    for (QAction *a : {fit, zoomIn, zoomOut}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    m_fitButton = addButton(toolFlow, fit);
    // The button says how far in one is: "Fit" at the whole board, "250 %" when zoomed.
    connect(m_view, &BoardView::zoomChanged, this, [this](double zoom) {
        m_fitButton->setText(zoom > 1.001 ? tr("%1 %").arg(qRound(zoom * 100)) : tr("Fit"));
    });

    auto *palette = new QWidget(this);
    palette->setObjectName(QStringLiteral("boardPalette"));
    // Compact swatches: the colours take two short rows at 800 px, the board keeps the rest.
    palette->setStyleSheet(QStringLiteral("QToolButton { padding: 1px; margin: 0px; }"));
    auto *colorFlow = new FlowLayout(palette, 1, 2);
    colorFlow->setContentsMargins(4, 2, 4, 4);
    m_swatches = new QActionGroup(this);
    const QStringList &colors = protocol::drawingPalette();
    for (int i = 0; i < colors.size(); ++i)
        colorFlow->addWidget(swatchButton(colors[i], i));
    m_custom = new QToolButton(palette);
    m_custom->setObjectName(QStringLiteral("boardCustomColor"));
    m_custom->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_custom->setIconSize(QSize(18, 18));
    m_custom->setAutoRaise(true);
    m_custom->setText(tr("Custom…"));
    m_custom->setToolTip(tr("Pick any colour, with transparency"));
    connect(m_custom, &QToolButton::clicked, this, &BoardWidget::chooseCustomColor);
    colorFlow->addWidget(m_custom);

    // Offline, the board says so plainly and for as long as it lasts; other notices (a
    // refused stroke) show for a few seconds beside it.
    m_offline = new QLabel(this);
    m_offline->setObjectName(QStringLiteral("boardOffline"));
    m_offline->setTextFormat(Qt::PlainText);
    m_offline->setWordWrap(true);
    m_offline->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #5c4400; "
                                            "border: 1px solid #e0c060; padding: 3px 6px; }"));
    m_offline->hide();
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("boardNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setWordWrap(true);
    m_notice->setContentsMargins(6, 0, 6, 0);
    m_notice->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(tools);
    layout->addWidget(palette);
    layout->addWidget(m_offline);
    layout->addWidget(m_notice);
    layout->addWidget(m_view, 1);

    setInkColor(QString(protocol::defaultInk()));
    setTool(board::penTool());
}

QToolButton *BoardWidget::swatchButton(const QString &color, int index)
{
    auto *action = new QAction(swatchIcon(colorFromHex(color)), color, this);
    action->setObjectName(QStringLiteral("boardSwatch%1").arg(index));
    action->setCheckable(true);
    action->setData(color.toLower());
    action->setToolTip(color);
    m_swatches->addAction(action);
    connect(action, &QAction::triggered, this, [this, color] {
        setInkColor(color);
        setTool(board::penTool()); // picking a colour means drawing with it, as the original
    });
    auto *button = new QToolButton(this);
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    button->setIconSize(QSize(18, 18));
    return button;
}

QString BoardWidget::tool() const
{
    return m_view->tool();
}
QString BoardWidget::inkColor() const
{
    return m_view->inkColor();
}
double BoardWidget::strokeWidth() const
{
    return m_view->strokeWidth();
}

void BoardWidget::setTool(const QString &tool)
{
    const bool eraser = tool == board::eraserTool();
    m_view->setTool(eraser ? QString(board::eraserTool()) : QString(board::penTool()));
    (eraser ? m_eraser : m_pen)->setChecked(true);
    // Each tool keeps its own width (the original: pen 5, eraser 50).
    m_view->setStrokeWidth(eraser ? m_eraserWidth : m_penWidth);
    syncWidthBox();
}

void BoardWidget::setInkColor(const QString &color)
{
    const QColor c = colorFromHex(color);
    if (!c.isValid())
        return;
    m_view->setInkColor(color.toLower());
    m_custom->setIcon(swatchIcon(c));
    bool inPalette = false;
    for (QAction *a : m_swatches->actions()) {
        const bool match = a->data().toString() == color.toLower();
        a->setChecked(match);
        inPalette |= match;
    }
    if (!inPalette && m_swatches->checkedAction())
        m_swatches->checkedAction()->setChecked(false);
}

void BoardWidget::setStrokeWidth(double width)
{
    if (!(width > 0))
        return;
    (m_view->tool() == board::eraserTool() ? m_eraserWidth : m_penWidth) = width;
    m_view->setStrokeWidth(width);
    syncWidthBox();
}

void BoardWidget::syncWidthBox()
{
    const int i = m_width->findData(m_view->strokeWidth());
    if (i >= 0)
        m_width->setCurrentIndex(i);
}

void BoardWidget::chooseCustomColor()
{
    const QColor c = QColorDialog::getColor(colorFromHex(m_view->inkColor()), this,
                                            tr("Ink colour"), QColorDialog::ShowAlphaChannel);
    if (!c.isValid())
        return;
    setInkColor(hexFromColor(c));
    setTool(board::penTool());
}

void BoardWidget::redoStroke()
{
    if (m_model && !m_model->requestRedo())
        showNotice(tr("Nothing of yours to redo"));
}

void BoardWidget::undoLastStroke()
{
    if (m_model && !m_model->requestUndo())
        showNotice(m_model->undoSupported() ? tr("No stroke of yours to take back")
                                            : tr("This server cannot take strokes back"));
}

void BoardWidget::clearWithConfirmation()
{
    if (!m_model)
        return;
    if (!offlineText().isEmpty()) {
        m_model->requestClear(); // whoever links the board says why it cannot be done now
        return;
    }
    const auto answer = QMessageBox::question(
        this, tr("Clear the board"),
        tr("Wipe the board for everyone in this room? This cannot be undone."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        m_model->requestClear();
}

void BoardWidget::exportWithDialog()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the board"), dir + QStringLiteral("/board.png"), tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    if (!exportPng(path))
        QMessageBox::warning(this, tr("Export the board"), tr("Could not write %1").arg(path));
}

bool BoardWidget::exportPng(const QString &path, double scale)
{
    return m_scene->renderImage(scale).save(path, "PNG");
}

void BoardWidget::showCleared(const QString &byName, bool byMe)
{
    // The name is the peer's: one line, bounded, shown as plain text (the label's format).
    const QString name = byName.simplified().left(80);
    if (byMe)
        showNotice(tr("You cleared the board"));
    else if (name.isEmpty())
        showNotice(tr("Someone cleared the board"));
    else
        showNotice(tr("%1 cleared the board").arg(name));
}

void BoardWidget::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
    QTimer::singleShot(5000, m_notice, [label = m_notice, text] {
        if (label->text() == text) {
            label->clear();
            label->hide();
        }
    });
}

void BoardWidget::setOffline(bool offline, int waiting)
{
    if (!offline) {
        m_offline->clear();
        m_offline->hide();
        return;
    }
    const QString queued =
        waiting == 1 ? tr("1 change of yours waits and will be sent when it is back.")
        : waiting > 1
            ? tr("%1 changes of yours wait and will be sent when it is back.").arg(waiting)
            : tr("What you draw now is kept and sent when it is back.");
    m_offline->setText(tr("Offline: the board is not connected. %1 Clearing the board needs "
                          "the connection.")
                           .arg(queued));
    m_offline->show();
}

QString BoardWidget::offlineText() const
{
    return m_offline->isVisibleTo(this) ? m_offline->text() : QString();
}

QList<QAction *> BoardWidget::toolActions() const
{
    QList<QAction *> out;
    for (const char *name : {"boardPen", "boardEraser", "boardUndo", "boardRedo", "boardClear",
                             "boardExport", "boardFit"})
        out.append(findChild<QAction *>(QLatin1String(name)));
    out.append(m_swatches->actions());
    return out;
}

} // namespace chalk::ui
