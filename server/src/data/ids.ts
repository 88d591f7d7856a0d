// Record ids as the domain handles them: `Id` is the database's ObjectId type, made and checked here so that no
// domain module needs the driver or mongoose for it. Must never touch a collection.
import { Types } from 'mongoose';

export type Id = Types.ObjectId;

/** A fresh id (unique across processes). */
export const newId = (): Id => new Types.ObjectId();

/** Whether a string from outside (URL, body) can be a record id: 24 hex digits. */
export const isId = (s: unknown): s is string => typeof s === 'string' && /^[a-f0-9]{24}$/i.test(s);

/** The id of a 24-hex string (or the id itself); throws on anything else — check with isId first. */
export const toId = (v: Id | string): Id => (typeof v === 'string' ? new Types.ObjectId(v) : v);

/** Whether a value is an id object (not a string). */
export const isIdObject = (v: unknown): v is Id => v instanceof Types.ObjectId;
