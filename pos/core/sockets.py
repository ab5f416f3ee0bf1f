"""Socket.IO namespaces: who may join which rooms, and the replay handshake.

A screen connects with ``auth={"last_event": N}`` (and ``token`` if it is a paired
device). It is put in its rooms first, then sent every event of those rooms after N
in order, then ``replay_done {floor}``. Live events that race the replay carry ids
the screen has already seen or that lie above the floor; screens drop ids they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import socketio as python_socketio
from flask import current_app, g, request, session
from flask_socketio import ConnectionRefusedError, emit, join_room, rooms

from pos.core.api import current_db
from pos.core.auth import Actor, Permission, allowed
from pos.core.errors import InvalidInput, MasaError
from pos.core.events import Replay, latest_event_id, replay_events, socketio

MAX_SEEN_IDS = 2000
TOKEN_KEY = "masa_socket_token"
CONNECTED_KEY = "masa_connected"


@dataclass(frozen=True)
class NamespaceSpec:
    name: str
    permission: Permission
    rooms: Callable[[Actor, dict[str, Any]], list[str]]


NAMESPACES: dict[str, NamespaceSpec] = {}


def socket_actor(auth: dict[str, Any] | None = None) -> Actor | None:
    """The actor behind this connection, read again from the database on every event.

    A paired device's token comes in the connect ``auth``; it is kept in the
    connection's own session so later events check it again (revocation bites at once).
    """
    loader = current_app.extensions["masa_actor_loader"]
    if auth is not None:
        token = auth.get("token")
        session[TOKEN_KEY] = token if isinstance(token, str) else None
    return loader(touch=False, token=session.get(TOKEN_KEY))


def require_socket_actor(permission: Permission, auth: dict[str, Any] | None = None) -> Actor:
    return allowed(socket_actor(auth), permission)


def register_namespace(name: str, permission: Permission,
                       rooms_for: Callable[[Actor, dict[str, Any]], list[str]]) -> None:
    spec = NamespaceSpec(name, permission, rooms_for)
    NAMESPACES[name] = spec
    socketio.on_event("connect", lambda auth=None: connect(spec, auth), namespace=name)
    socketio.on_event("sync", socket_event(permission)(lambda data=None: sync(spec, data)),
                      namespace=name)


def connect(spec: NamespaceSpec, auth: Any) -> None:
    if session.get(CONNECTED_KEY):
        # A client may emit an event named "connect"; Socket.IO would run this again.
        return
    auth = auth if isinstance(auth, dict) else {}
    try:
        actor = require_socket_actor(spec.permission, auth)
        last_event = _event_id(auth.get("last_event"), "last_event", optional=True)
        room_names = spec.rooms(actor, auth)
    except MasaError as error:
        # The screen gets {"message": ..., "data": {"code", "message", "field"}}.
        raise ConnectionRefusedError(error.message, error.to_dict()["error"]) from None
    session[CONNECTED_KEY] = True
    for room in room_names:
        join_room(room)
    join_room(ending_room(actor))
    send_missed_events(spec, room_names, last_event if last_event is not None else None, ())


def ending_room(actor: Actor) -> str:
    """Closed when the actor's sign-in ends or the device is revoked (see close_room)."""
    if actor.session_id is not None:
        return f"session:{actor.session_id}"
    return f"device:{actor.device_id}"


def sync(spec: NamespaceSpec, data: Any) -> dict[str, Any]:
    """The heartbeat: the screen's floor and the ids it holds above it; it gets the rest."""
    data = data if isinstance(data, dict) else {}
    after = _event_id(data.get("last_event"), "last_event")
    seen = data.get("seen") or []
    if not isinstance(seen, list) or len(seen) > MAX_SEEN_IDS or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in seen):
        raise InvalidInput(f"'seen' is a list of at most {MAX_SEEN_IDS} event ids.", field="seen")
    own_rooms = [r for r in rooms() if r != request.sid]
    return send_missed_events(spec, own_rooms, after, seen)


def send_missed_events(spec: NamespaceSpec, room_names: list[str], after: int | None,
                       seen: Any) -> dict[str, Any]:
    with current_db().reading() as session:
        if after is None:  # a fresh screen loads a snapshot; it needs only the floor
            replay = Replay([], latest_event_id(session))
        else:
            replay = replay_events(session, spec.name, room_names, after, seen)
        messages = [(event.name, event.message()) for event in replay.events]
    for name, message in messages:
        emit(name, message)
    done = {"floor": replay.floor, "snapshot_required": replay.snapshot_required,
            "replayed": len(replay.events)}
    emit("replay_done", done)
    return done


def _event_id(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInput(f"'{field}' is an event id (a whole number, 0 or more).", field=field)
    return value


def socket_event(permission: Permission) -> Callable:
    """Checks the actor's permission on every event; errors go back in the ack."""

    def decorator(handler: Callable) -> Callable:
        @wraps(handler)
        def checked(*args: Any) -> Any:
            try:
                g.actor = require_socket_actor(permission)
                return handler(*args)
            except MasaError as error:
                return error.to_dict()

        return checked

    return decorator


def close_room(room: str) -> None:
    """Disconnect everyone in ``room`` on every namespace, in this and every other process."""
    for namespace in NAMESPACES:
        socketio.close_room(room, namespace=namespace)


def make_client_manager(message_queue: str | None, channel: str) -> python_socketio.Manager:
    """Socket.IO's client manager, whose ``close_room`` also disconnects the room's members:
    through the message queue when several processes serve, so each closes its own."""
    if message_queue:
        return _QueueManager(message_queue, channel=channel)
    return _LocalManager()


def _disconnect_members(manager: python_socketio.Manager, room: str, namespace: str) -> None:
    for sid, _eio_sid in list(manager.get_participants(namespace, room)):
        manager.server.disconnect(sid, namespace=namespace, ignore_queue=True)


class _LocalManager(python_socketio.Manager):
    def close_room(self, room: str, namespace: str | None = None) -> None:
        _disconnect_members(self, room, namespace or "/")
        super().close_room(room, namespace)


class _QueueManager(python_socketio.RedisManager):
    def _handle_close_room(self, message: dict) -> None:
        _disconnect_members(self, message.get("room"), message.get("namespace") or "/")
        super()._handle_close_room(message)
