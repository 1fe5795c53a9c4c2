"""Live chat: the subscriber's chat page, the operator's console, the chat stream server that
``ulybka run`` starts beside the web server, and the chats of an operator who signs out going
back to the queue."""

from app.chat import cli, demo, operations
from app.chat.views import bp
from app.features import DemoStep, Feature, NavItem, Process
from app.models import Role

FEATURE = Feature(
    name="chat",
    blueprints=(bp,),
    commands=(cli.chat_server,),
    processes=(Process("chat-server", ("chat-server",)),),
    demo=(DemoStep(60, "chats", demo.seed_chats_demo),),
    nav=(NavItem(27, "chat.console", "Чаты", (Role.OPERATOR, Role.MANAGER)),
         NavItem(15, "chat.mine", "Чат с оператором", (Role.SUBSCRIBER,))),
    listeners={"user.signed_out": operations.release_all_of},
)
