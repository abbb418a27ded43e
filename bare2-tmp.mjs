import { createServer } from 'node:http';
import { Server } from 'socket.io';
const s = createServer(); new Server(s); s.listen(0, '127.0.0.1');
setTimeout(()=>{}, 8000);
