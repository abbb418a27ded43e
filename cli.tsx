console.log('mpm-mon');
